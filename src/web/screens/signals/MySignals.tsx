import { Alert, Anchor, Badge, Button, Card, Group, Stack, Text, Textarea, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api, ApiFailure } from '../../api/client';
import { signalTitle, stateLabel } from '../../terms';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { Notice } from '../../ui/Notice';
import { Loading } from '../../ui/Loading';
import { useApi } from '../../ui/useApi';
import { CONFLICT_MESSAGE } from './CommandForm';
import { READABLE_ALERT } from './readable';
import { fieldErrors, newIdempotencyKey } from './fieldErrors';
import { codeLabels, formatDate } from './labels';
import { useSignalChanges } from './liveEvents';
import type {
  SignalDetailAnswer as SignalDetail,
  SignalListItem,
  SignalPage,
  TimelineEntry,
} from '../../../signals/signal-answers';

const PAGE_SIZE = 10;
/** States in which the giver has something to read (feedback) or to do (answer a question). */
const NEEDS_DETAIL = new Set(['closed', 'rejected', 'awaiting-info']);

/**
 * "Mijn signalen": the signals this giver submitted (the server scopes GET /signals to them), with
 * their state in Dutch, the feedback once closed, and the answer to a question for information.
 */
export function MySignals() {
  const [params, setParams] = useSearchParams();
  const offset = Number(params.get('offset') ?? '0') || 0;
  const page = useApi<SignalPage>('/signals', { limit: PAGE_SIZE, offset, sort: '-updatedAt' });
  useSignalChanges(page.reload);
  // Said once the answer is in: its form closes, and the card may be drawn anew.
  const [notice, setNotice] = useState<string | null>(null);
  const go = (next: number) => setParams(next > 0 ? { offset: String(next) } : {});

  return (
    <Stack maw={900}>
      <Group justify="space-between">
        <Title order={2}>Mijn signalen</Title>
        <Button component={Link} to="/signaal-melden">
          Signaal melden
        </Button>
      </Group>
      {notice && <Notice onClose={() => setNotice(null)}>{notice}</Notice>}
      {page.error !== undefined && <ErrorAlert error={page.error} onRetry={page.reload} />}
      {!page.data && page.loading && <Loading label="Je signalen laden…" />}
      {page.data && page.data.items.length === 0 && offset === 0 && (
        <Text>Je hebt nog geen signalen ingediend.</Text>
      )}
      {page.data?.items.map((signal) => (
        <SignalCard
          key={`${signal.signalId}:${signal.revision}`}
          signal={signal}
          onAnswered={() => {
            setNotice(
              `Je antwoord op de vraag over '${signalTitle(signal)}' is bezorgd. De signaalverwerker gaat ermee verder.`,
            );
            page.reload();
          }}
        />
      ))}
      {page.data && (offset > 0 || page.data.hasMore) && (
        <Group justify="flex-end">
          <Button
            variant="default"
            disabled={offset === 0}
            onClick={() => go(Math.max(0, offset - PAGE_SIZE))}
          >
            Vorige
          </Button>
          <Button variant="default" disabled={!page.data.hasMore} onClick={() => go(offset + PAGE_SIZE)}>
            Volgende
          </Button>
        </Group>
      )}
    </Stack>
  );
}

function SignalCard({ signal, onAnswered }: { signal: SignalListItem; onAnswered(): void }) {
  const detail = useApi<SignalDetail>(NEEDS_DETAIL.has(signal.state) ? `/signals/${signal.signalId}` : null);
  const feedback = detail.data ? lastFeedback(detail.data.timeline) : null;
  const question =
    detail.data && signal.state === 'awaiting-info' ? lastText(detail.data.timeline, 'question') : null;
  return (
    <Card withBorder component="article" aria-labelledby={`signal-${signal.signalId}`}>
      <Group justify="space-between" align="flex-start">
        <Title order={3} size="h4" id={`signal-${signal.signalId}`}>
          <Anchor component={Link} to={`/signalen/${signal.signalId}`}>
            {signalTitle(signal)}
          </Anchor>
        </Title>
        <Badge variant="light" size="lg">{`Status: ${stateLabel(signal.state)}`}</Badge>
      </Group>
      <Text size="sm" c="dimmed">
        {`Ingediend op ${formatDate(signal.submittedAt)} · laatst gewijzigd ${formatDate(signal.updatedAt)}`}
      </Text>
      <Text size="sm">{`Thema's: ${codeLabels('themes', signal.themes)}`}</Text>
      {detail.error !== undefined && <ErrorAlert error={detail.error} onRetry={detail.reload} />}
      {feedback && (
        <Alert color="green" styles={READABLE_ALERT} title="Feedback" mt="sm">
          <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
            {feedback}
          </Text>
        </Alert>
      )}
      {question && detail.data && (
        <ProvideInfo
          signalId={signal.signalId}
          question={question}
          etag={detail.etag}
          onDone={onAnswered}
          onReload={detail.reload}
        />
      )}
    </Card>
  );
}

/** The giver answers a request for information (`provide-info`), right where they read the question. */
function ProvideInfo({
  signalId,
  question,
  etag,
  onDone,
  onReload,
}: {
  signalId: string;
  question: string;
  etag: string | null;
  onDone(): void;
  onReload(): void;
}) {
  const [answer, setAnswer] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [failure, setFailure] = useState<unknown>(null);
  const [conflict, setConflict] = useState(false);
  const [busy, setBusy] = useState(false);
  const [key, setKey] = useState(newIdempotencyKey);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (answer.trim().length < 2) return setError('Geef een antwoord van minstens 2 tekens.');
    setBusy(true);
    setFailure(null);
    try {
      const headers: Record<string, string> = { 'Idempotency-Key': key };
      if (etag) headers['If-Match'] = etag;
      await api(`/signals/${signalId}/provide-info`, {
        method: 'POST',
        body: { answer: answer.trim() },
        headers,
      });
      onDone();
    } catch (e) {
      if (e instanceof ApiFailure && e.isConflict) setConflict(true);
      else {
        const byField = fieldErrors(e);
        if (byField['answer']) setError(byField['answer']);
        else setFailure(e);
      }
      if (e instanceof ApiFailure && e.status < 500) setKey(newIdempotencyKey());
    } finally {
      setBusy(false);
    }
  };
  return (
    <Alert color="blue" styles={READABLE_ALERT} title="Vraag om informatie" mt="sm">
      <Text size="sm" mb="sm" style={{ whiteSpace: 'pre-wrap' }}>
        {question}
      </Text>
      {conflict && (
        <Alert color="orange" role="alert" mb="sm">
          {CONFLICT_MESSAGE}
          <Group mt="xs">
            <Button size="xs" variant="default" onClick={onReload}>
              Signaal opnieuw laden
            </Button>
          </Group>
        </Alert>
      )}
      {failure !== null && <ErrorAlert error={failure} />}
      <form onSubmit={submit} noValidate aria-label="Informatie bezorgen">
        <Textarea
          label="Je antwoord"
          required
          autosize
          minRows={3}
          maxLength={4000}
          value={answer}
          error={error}
          onChange={(e) => {
            setAnswer(e.currentTarget.value);
            setError(undefined);
          }}
        />
        <Group mt="sm">
          <Button type="submit" loading={busy}>
            Informatie bezorgen
          </Button>
        </Group>
      </form>
    </Alert>
  );
}

function lastText(timeline: readonly TimelineEntry[], field: string): string | null {
  for (let i = timeline.length - 1; i >= 0; i--) {
    const value = timeline[i]!.fields[field];
    if (typeof value === 'string' && value) return value;
  }
  return null;
}

/** The feedback of the step that ended the signal (closed or not accepted), or of a dossier decision. */
function lastFeedback(timeline: readonly TimelineEntry[]): string | null {
  return lastText(timeline, 'feedback');
}
