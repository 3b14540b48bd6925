import { useEffect, useRef } from 'react';
import { session } from '../../auth/session';
import type { SignalChange } from '../../../signals/signal-answers';

type Listener = (change: SignalChange) => void;

/**
 * One connection per tab to `GET /events/stream`, shared by every screen that listens. An
 * EventSource cannot send the Authorization header, so this reads the stream with fetch(); it
 * reconnects after a drop (with a growing pause) and refreshes the token once on a 401.
 */
class LiveEvents {
  private readonly listeners = new Set<Listener>();
  private controller: AbortController | null = null;
  private retryMs = 1000;
  private timer: ReturnType<typeof setTimeout> | null = null;

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    if (this.listeners.size === 1) this.connect();
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) this.disconnect();
    };
  }

  private disconnect(): void {
    this.controller?.abort();
    this.controller = null;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private connect(): void {
    const controller = new AbortController();
    this.controller = controller;
    void this.read(controller)
      .catch(() => undefined)
      .finally(() => {
        if (this.controller !== controller || this.listeners.size === 0) return;
        this.timer = setTimeout(() => this.connect(), this.retryMs);
        this.retryMs = Math.min(this.retryMs * 2, 30_000);
      });
  }

  private async open(controller: AbortController): Promise<Response> {
    const send = () =>
      fetch('/events/stream', {
        headers: { Accept: 'text/event-stream', Authorization: `Bearer ${session.accessToken() ?? ''}` },
        signal: controller.signal,
        cache: 'no-store',
      });
    let response = await send();
    if (response.status === 401 && (await session.refresh())) response = await send();
    return response;
  }

  private async read(controller: AbortController): Promise<void> {
    const response = await this.open(controller);
    if (!response.ok || !response.body) return;
    this.retryMs = 1000;
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += value;
      let end = buffer.indexOf('\n\n');
      while (end >= 0) {
        this.dispatch(buffer.slice(0, end));
        buffer = buffer.slice(end + 2);
        end = buffer.indexOf('\n\n');
      }
    }
  }

  private dispatch(block: string): void {
    const data = block
      .split('\n')
      .filter((line) => line.startsWith('data:'))
      .map((line) => line.slice(5).trimStart())
      .join('\n');
    if (!data) return;
    let change: SignalChange;
    try {
      change = JSON.parse(data) as SignalChange;
    } catch {
      return;
    }
    if (typeof change.signalId !== 'string') return;
    for (const listener of this.listeners) listener(change);
  }
}

const liveEvents = new LiveEvents();

/**
 * Calls `onChange` (debounced: a burst of events is one call) when a signal of the caller's
 * scope changes; with `signalId`, only for that signal.
 */
export function useSignalChanges(onChange: () => void, signalId?: string, debounceMs = 400): void {
  const callback = useRef(onChange);
  callback.current = onChange;
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    const unsubscribe = liveEvents.subscribe((change) => {
      if (signalId !== undefined && change.signalId !== signalId) return;
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => callback.current(), debounceMs);
    });
    return () => {
      if (timer) clearTimeout(timer);
      unsubscribe();
    };
  }, [signalId, debounceMs]);
}
