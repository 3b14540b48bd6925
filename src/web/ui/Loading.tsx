import { Center, Loader } from '@mantine/core';

export function Loading({ label = 'Bezig met laden…' }: { label?: string }) {
  return (
    <Center py="xl" role="status" aria-live="polite">
      <Loader aria-label={label} />
    </Center>
  );
}
