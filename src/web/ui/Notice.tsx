import { Alert } from '@mantine/core';
import type { ReactNode } from 'react';

/** What a person's step did, said once (a role of status for screen readers), until they close it. */
export function Notice({ children, onClose }: { children: ReactNode; onClose(): void }) {
  return (
    <Alert color="green" role="status" withCloseButton onClose={onClose} closeButtonLabel="Sluiten">
      {children}
    </Alert>
  );
}
