import { Alert, Button, Group } from '@mantine/core';
import { ApiFailure } from '../api/client';

/** A failure as a person reads it: the server's Dutch message, and a retry when it makes sense. */
export function ErrorAlert({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const message =
    error instanceof ApiFailure
      ? error.message
      : // Not only fetching: a save that never reached the server fails the same way.
        'De server antwoordde niet. Controleer je verbinding en probeer opnieuw.';
  return (
    <Alert color="red" role="alert" title="Dat lukte niet">
      {message}
      {onRetry && (
        <Group mt="sm">
          <Button size="xs" variant="default" onClick={onRetry}>
            Opnieuw proberen
          </Button>
        </Group>
      )}
    </Alert>
  );
}
