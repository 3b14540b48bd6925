import { Alert, Button, Group } from '@mantine/core';
import { Component, type ErrorInfo, type ReactNode } from 'react';

interface State {
  error: unknown;
}

/**
 * A screen that fails to load or to draw says so in Dutch, inside the frame (header and menu stay),
 * instead of leaving a white page. The usual cause is a screen's code that can no longer be
 * fetched: the connection is gone, or a new version of the app replaced the files the open page
 * knows. A reload fetches the new ones. Keyed by the path, so another screen starts afresh.
 */
export class ScreenErrorBoundary extends Component<{ children: ReactNode }, State> {
  override state: State = { error: null };

  static getDerivedStateFromError(error: unknown): State {
    return { error };
  }

  override componentDidCatch(error: unknown, info: ErrorInfo): void {
    console.error('screen failed', error, info.componentStack);
  }

  override render(): ReactNode {
    if (this.state.error === null) return this.props.children;
    const loading = isLoadFailure(this.state.error);
    return (
      <Alert
        color="red"
        role="alert"
        title={loading ? 'Dit scherm kon niet geladen worden' : 'Er ging iets mis'}
      >
        {loading
          ? 'Misschien is de verbinding weg, of is er intussen een nieuwe versie van Lokaal Signaal. Herlaad de pagina om verder te gaan.'
          : 'Dit scherm liep vast. Herlaad de pagina om verder te gaan; wat je eerder bewaarde, blijft bewaard.'}
        <Group mt="sm">
          <Button size="xs" variant="default" onClick={() => window.location.reload()}>
            Pagina herladen
          </Button>
        </Group>
      </Alert>
    );
  }
}

/** A screen's code that could not be fetched (the browsers word it differently). */
function isLoadFailure(error: unknown): boolean {
  const message = error instanceof Error ? `${error.name} ${error.message}` : String(error);
  return /dynamically imported module|module script failed|ChunkLoadError|Loading chunk|Failed to fetch/i.test(
    message,
  );
}
