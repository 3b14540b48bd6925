import {
  Alert,
  Button,
  Code,
  CopyButton,
  Group,
  MultiSelect,
  NumberInput,
  Paper,
  Select,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { api } from '../../api/client';
import { useActor } from '../../auth/AuthContext';
import { ROLE_LABELS, formatDayOf, roleLabel } from '../../terms';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { useApi } from '../../ui/useApi';
import type { OrganisationPage } from '../../../tenants/tenant-answers';
import { fieldErrorOf, type FieldErrors } from './fields';
import { POLICY_DOMAINS } from './themes';
import type { InviteIssued } from '../../../people/people-answers';

const ROLE_OPTIONS = Object.entries(ROLE_LABELS).map(([value, label]) => ({ value, label }));
const DOMAIN_OPTIONS = POLICY_DOMAINS.map((d) => ({ value: d.code, label: d.label }));

/** The link an invitee opens: the invite page with the bestuur and the code filled in. */
export function inviteLink(origin: string, tenant: string, token: string): string {
  // In the fragment: the browser never sends it, so the code stays out of every access log.
  return `${origin}/uitnodiging#${new URLSearchParams({ tenant, token }).toString()}`;
}

/** Invites a person (tenant-admin): the link is shown once, to copy and send. */
export function InvitesPanel() {
  const actor = useActor();
  const organisations = useApi<OrganisationPage>('/organisations');
  const [email, setEmail] = useState('');
  const [organisationId, setOrganisationId] = useState<string | null>(null);
  const [roles, setRoles] = useState<string[]>(['signal-giver']);
  const [domains, setDomains] = useState<string[]>([]);
  const [days, setDays] = useState<number | string>(14);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [general, setGeneral] = useState<unknown>(null);
  const [issued, setIssued] = useState<InviteIssued | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setErrors({});
    setGeneral(null);
    setIssued(null);
    try {
      const { body } = await api<InviteIssued>('/invites', {
        body: {
          email: email.trim(),
          organisationId,
          roles,
          policyDomains: domains,
          expiresInDays: days === '' ? 14 : Number(days),
        },
      });
      setIssued(body);
      setEmail('');
    } catch (failure) {
      const split = fieldErrorOf(
        failure,
        ['email', 'organisationId', 'roles', 'policyDomains', 'expiresInDays'],
        {
          email: 'Dit is geen geldig e-mailadres.',
          roles: 'Kies minstens één rol.',
          expiresInDays: 'Een uitnodiging is 1 tot 30 dagen geldig.',
        },
      );
      setErrors(split.fields);
      setGeneral(split.general);
    } finally {
      setBusy(false);
    }
  }

  const link = issued ? inviteLink(window.location.origin, actor.tenantId, issued.token) : null;
  return (
    <Stack maw={720}>
      <Title order={3}>Uitnodigen</Title>
      <Text size="sm">
        Een uitnodiging geeft één persoon een account met de rollen die je kiest. Je ziet de link één keer:
        kopieer hem en bezorg hem aan de persoon (bijvoorbeeld per e-mail).
      </Text>
      {issued && link && (
        <Alert color="green" role="status" title={`Uitnodiging voor ${issued.email} gemaakt`}>
          <Stack gap="xs">
            <Text size="sm">
              Rollen: {issued.roles.map(roleLabel).join(', ')}. Geldig tot {formatDayOf(issued.expiresAt)}.
              Deze link wordt niet opnieuw getoond.
            </Text>
            <Code block data-testid="invite-link">
              {link}
            </Code>
            <Group>
              <CopyButton value={link}>
                {({ copied, copy }) => (
                  <Button size="xs" onClick={copy} variant={copied ? 'light' : 'filled'}>
                    {copied ? 'Gekopieerd' : 'Link kopiëren'}
                  </Button>
                )}
              </CopyButton>
            </Group>
          </Stack>
        </Alert>
      )}
      <Paper withBorder p="md" component="form" onSubmit={submit} noValidate aria-label="Uitnodiging maken">
        <Stack>
          {general !== null && <ErrorAlert error={general} />}
          <TextInput
            label="E-mailadres"
            type="email"
            value={email}
            onChange={(e) => setEmail(e.currentTarget.value)}
            error={errors['email']}
            required
          />
          <Select
            label="Organisatie"
            description="Leeg: medewerker van het bestuur zelf"
            data={(organisations.data?.items ?? []).map((o) => ({ value: o.organisationId, label: o.name }))}
            value={organisationId}
            onChange={setOrganisationId}
            error={errors['organisationId']}
            clearable
          />
          <MultiSelect
            label="Rollen"
            data={ROLE_OPTIONS}
            value={roles}
            onChange={setRoles}
            error={errors['roles']}
            searchable
            required
          />
          <MultiSelect
            label="Beleidsdomeinen"
            description="Voor een signaalverwerker of beleidsmaker"
            data={DOMAIN_OPTIONS}
            value={domains}
            onChange={setDomains}
            error={errors['policyDomains']}
            searchable
          />
          <NumberInput
            label="Geldig (dagen)"
            min={1}
            max={30}
            allowDecimal={false}
            value={days}
            onChange={setDays}
            error={errors['expiresInDays']}
            w={200}
          />
          <Group>
            <Button type="submit" loading={busy}>
              Uitnodiging maken
            </Button>
          </Group>
        </Stack>
      </Paper>
    </Stack>
  );
}
