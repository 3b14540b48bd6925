import {
  Alert,
  Button,
  Group,
  MultiSelect,
  NumberInput,
  Radio,
  Select,
  Stack,
  Text,
  TextInput,
  Textarea,
  Title,
} from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { api, ApiFailure } from '../../api/client';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { READABLE_ALERT } from './readable';
import { fieldErrors, newIdempotencyKey } from './fieldErrors';
import { CODE_OPTIONS, fieldLabel } from './labels';
import type { SignalCommandResult } from '../../../signals/signal-answers';

const EMPTY = {
  title: '',
  description: '',
  themes: [] as string[],
  targetGroups: [] as string[],
  area: '',
  areaType: null as string | null,
  estimatedPeopleAffected: '' as string | number,
  urgency: 'normal',
};

/** "Signaal melden": a signal giver describes a situation (never a person) in their own words. */
export function SignalIntake() {
  const [form, setForm] = useState(EMPTY);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  // One key per intended submit: a double click or a retry after a lost answer submits once.
  const [idempotencyKey, setIdempotencyKey] = useState(newIdempotencyKey);

  const set = <K extends keyof typeof EMPTY>(key: K, value: (typeof EMPTY)[K]) => {
    setForm((f) => ({ ...f, [key]: value }));
    setErrors((e) => {
      if (!(key in e)) return e;
      const { [key]: _removed, ...rest } = e;
      return rest;
    });
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const local: Record<string, string> = {};
    if (form.title.trim().length < 5) local['title'] = 'Geef een titel van minstens 5 tekens.';
    if (form.description.trim().length < 10)
      local['description'] = 'Beschrijf de situatie in minstens 10 tekens.';
    if (form.themes.length === 0) local['themes'] = 'Kies minstens één thema.';
    if (Object.keys(local).length > 0) {
      setErrors(local);
      return;
    }
    setBusy(true);
    setFailure(null);
    try {
      const body: Record<string, unknown> = {
        title: form.title.trim(),
        description: form.description.trim(),
        themes: form.themes,
        urgency: form.urgency,
      };
      if (form.targetGroups.length > 0) body['targetGroups'] = form.targetGroups;
      if (form.area.trim()) body['area'] = form.area.trim();
      if (form.areaType !== null) body['areaType'] = form.areaType;
      if (form.estimatedPeopleAffected !== '')
        body['estimatedPeopleAffected'] = Number(form.estimatedPeopleAffected);
      const answer = await api<SignalCommandResult>('/signals', {
        body,
        headers: { 'Idempotency-Key': idempotencyKey },
      });
      setDone(answer.body.signalId);
      setForm(EMPTY);
      setErrors({});
      setIdempotencyKey(newIdempotencyKey());
    } catch (error) {
      const byField = fieldErrors(error);
      setErrors(byField);
      // A refusal with a field is shown at the field; anything else above the form.
      if (Object.keys(byField).length === 0) setFailure(error);
      if (error instanceof ApiFailure && error.status < 500) setIdempotencyKey(newIdempotencyKey());
    } finally {
      setBusy(false);
    }
  };

  return (
    <Stack maw={760}>
      <Title order={2}>Signaal melden</Title>
      <Text>
        Beschrijf een situatie die je vaststelt bij een groep mensen. Een signaal gaat over een situatie, niet
        over een persoon: vermeld geen namen, rijksregisternummers, e-mailadressen, telefoonnummers of
        rekeningnummers.
      </Text>
      {done && (
        <Alert color="green" styles={READABLE_ALERT} title="Je signaal is ingediend" role="status">
          Bedankt. Je volgt het op in <Link to="/mijn-signalen">Mijn signalen</Link> of{' '}
          <Link to={`/signalen/${done}`}>bekijk het signaal</Link>.
        </Alert>
      )}
      {failure !== null && <ErrorAlert error={failure} />}
      <form onSubmit={submit} noValidate aria-label="Signaal melden">
        <Stack>
          <TextInput
            label={fieldLabel('title')}
            required
            maxLength={200}
            value={form.title}
            onChange={(e) => set('title', e.currentTarget.value)}
            error={errors['title']}
          />
          <Textarea
            label={fieldLabel('description')}
            description="Wat stel je vast, bij wie (als groep), sinds wanneer en wat is het gevolg?"
            required
            autosize
            minRows={5}
            maxLength={5000}
            value={form.description}
            onChange={(e) => set('description', e.currentTarget.value)}
            error={errors['description']}
          />
          <MultiSelect
            label={fieldLabel('themes')}
            description="Eén tot vijf thema's."
            required
            data={CODE_OPTIONS.themes}
            maxValues={5}
            searchable
            value={form.themes}
            onChange={(value) => set('themes', value)}
            error={errors['themes']}
          />
          <MultiSelect
            label={fieldLabel('targetGroups')}
            data={CODE_OPTIONS.targetGroups}
            maxValues={10}
            searchable
            value={form.targetGroups}
            onChange={(value) => set('targetGroups', value)}
            error={errors['targetGroups']}
          />
          <TextInput
            label={fieldLabel('area')}
            maxLength={100}
            value={form.area}
            onChange={(e) => set('area', e.currentTarget.value)}
            error={errors['area']}
          />
          <Select
            label={fieldLabel('areaType')}
            description="Een wijk, een deelgemeente of de hele gemeente: zo kunnen gemeenten vergeleken worden."
            data={CODE_OPTIONS.areaTypes}
            clearable
            value={form.areaType}
            onChange={(value) => set('areaType', value)}
            error={errors['areaType']}
          />
          <NumberInput
            label={fieldLabel('estimatedPeopleAffected')}
            min={1}
            max={10_000_000}
            allowDecimal={false}
            allowNegative={false}
            value={form.estimatedPeopleAffected}
            onChange={(value) => set('estimatedPeopleAffected', value)}
            error={errors['estimatedPeopleAffected']}
          />
          <Radio.Group
            label={fieldLabel('urgency')}
            value={form.urgency}
            onChange={(value) => set('urgency', value)}
            error={errors['urgency']}
          >
            <Group mt="xs">
              <Radio value="low" label="Laag" />
              <Radio value="normal" label="Normaal" />
              <Radio value="high" label="Hoog" />
            </Group>
          </Radio.Group>
          <Group>
            <Button type="submit" loading={busy}>
              Signaal indienen
            </Button>
          </Group>
        </Stack>
      </form>
    </Stack>
  );
}
