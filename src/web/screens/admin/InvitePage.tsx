import {
  Alert,
  Anchor,
  Button,
  Center,
  Divider,
  Paper,
  PasswordInput,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useEffect, useState, type FormEvent } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { api, ApiFailure } from '../../api/client';
import { useAuth } from '../../auth/AuthContext';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { fieldErrorOf, type FieldErrors } from './fields';
import { browserFlowOf, goToProvider, type OidcOptions } from './oidc';
import type { InviteAccepted, SignInOptions } from '../../../people/people-answers';

const MIN_PASSWORD = 12;

/**
 * Accepting an invite (public): the link carries `#tenant=&token=` (a fragment never reaches a
 * server, so the code stays out of access logs; links with `?tenant=&token=` of before still
 * work); the person chooses a name and a password (or signs in at the OIDC provider) and is
 * signed in right away.
 */
export function InvitePage() {
  const [query] = useSearchParams();
  const [params] = useState(() => {
    const fragment = new URLSearchParams(window.location.hash.slice(1));
    return fragment.has('token') ? fragment : query;
  });
  const navigate = useNavigate();
  const { signIn } = useAuth();
  const [tenant, setTenant] = useState(params.get('tenant') ?? '');
  const [token, setToken] = useState(params.get('token') ?? '');
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [general, setGeneral] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [oidc, setOidc] = useState<OidcOptions | null>(null);
  const [fromLink] = useState(() => params.has('token'));
  const [tenantFromLink] = useState(() => params.has('token') && params.has('tenant'));

  useEffect(() => {
    // The code is in the fields now: it leaves the address bar and the browser history.
    if (window.location.search || window.location.hash) navigate('/uitnodiging', { replace: true });
  }, [navigate]);

  useEffect(() => {
    document.title = 'Uitnodiging aanvaarden - Lokaal Signaal';
    api<SignInOptions>('/auth/options', { anonymous: true })
      .then(({ body }) => setOidc(body.oidc))
      .catch(() => setOidc(null));
  }, []);

  function check(withPassword: boolean): FieldErrors {
    const found: FieldErrors = {};
    if (!/^[a-z][a-z0-9-]{1,62}$/.test(tenant.trim().toLowerCase()))
      found['tenant'] = 'Vul de code van je bestuur in, bijvoorbeeld gent.';
    if (token.trim().length < 20) found['token'] = 'Vul de code uit je uitnodiging in (of open de link).';
    if (name.trim().length < 2 || name.trim().length > 120) found['name'] = 'Je naam telt 2 tot 120 tekens.';
    if (withPassword) {
      if (password.length < MIN_PASSWORD)
        found['password'] = `Een wachtwoord heeft minstens ${MIN_PASSWORD} tekens.`;
      else if (password !== repeat) found['repeat'] = 'De twee wachtwoorden zijn niet gelijk.';
    }
    return found;
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    setGeneral(null);
    const found = check(true);
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    setBusy(true);
    const slug = tenant.trim().toLowerCase();
    try {
      const { body } = await api<InviteAccepted>('/invites/accept', {
        body: { tenant: slug, token: token.trim(), name: name.trim(), password },
        anonymous: true,
      });
      try {
        await signIn(slug, body.email, password);
        navigate('/', { replace: true });
      } catch (failure) {
        // The account exists; signing in can still be refused (e.g. too many attempts).
        setGeneral(failure);
      }
    } catch (failure) {
      const { fields, general: other } = fieldErrorOf(failure, ['tenant', 'token', 'name', 'password'], {
        name: 'Je naam telt 2 tot 120 tekens, zonder stuurtekens.',
      });
      setErrors(fields);
      setGeneral(other);
    } finally {
      setBusy(false);
    }
  }

  function acceptWithProvider() {
    const flow = browserFlowOf(oidc);
    if (!flow) return;
    const found = check(false);
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    goToProvider(flow, {
      kind: 'accept-invite',
      tenant: tenant.trim().toLowerCase(),
      token: token.trim(),
      name: name.trim(),
    }).catch((failure: unknown) => setGeneral(failure));
  }

  const flow = browserFlowOf(oidc);
  return (
    <Center mih="100vh" p="md" component="main">
      <Stack w={480} maw="100%">
        <Title order={1} ta="center">
          Lokaal Signaal
        </Title>
        <Paper withBorder p="lg" component="form" onSubmit={submit} noValidate aria-labelledby="invite-title">
          <Stack>
            <Title order={2} size="h3" id="invite-title">
              Uitnodiging aanvaarden
            </Title>
            <Text size="sm">
              Je werd uitgenodigd om met Lokaal Signaal te werken. Kies hoe je heet en een wachtwoord: daarmee
              maak je je account en word je meteen aangemeld.
            </Text>
            {general !== null &&
              (general instanceof ApiFailure ? (
                <Alert color="red" role="alert" title="Dat lukte niet">
                  {general.message}
                </Alert>
              ) : (
                <ErrorAlert error={general} />
              ))}
            <TextInput
              label="Bestuur"
              description="De code van je gemeente, bijvoorbeeld gent"
              value={tenant}
              onChange={(e) => setTenant(e.currentTarget.value)}
              error={errors['tenant']}
              required
              readOnly={tenantFromLink}
              autoComplete="organization"
            />
            <TextInput
              label="Uitnodigingscode"
              description={
                fromLink ? 'Ingevuld vanuit de link in je uitnodiging' : 'De code uit je uitnodiging'
              }
              value={token}
              onChange={(e) => setToken(e.currentTarget.value)}
              error={errors['token']}
              required
              readOnly={fromLink}
              autoComplete="off"
            />
            <TextInput
              label="Je naam"
              description="Zo zien je collega's wie een signaal behandelt"
              value={name}
              onChange={(e) => setName(e.currentTarget.value)}
              error={errors['name']}
              required
              autoComplete="name"
            />
            <PasswordInput
              label="Wachtwoord"
              description={`Minstens ${MIN_PASSWORD} tekens`}
              value={password}
              onChange={(e) => setPassword(e.currentTarget.value)}
              error={errors['password']}
              required
              autoComplete="new-password"
            />
            <PasswordInput
              label="Wachtwoord herhalen"
              value={repeat}
              onChange={(e) => setRepeat(e.currentTarget.value)}
              error={errors['repeat']}
              required
              autoComplete="new-password"
            />
            <Button type="submit" loading={busy}>
              Account maken en aanmelden
            </Button>
            {flow && (
              <>
                <Divider label="of" labelPosition="center" />
                <Button variant="default" onClick={acceptWithProvider}>
                  Aanvaarden via identiteitsprovider
                </Button>
              </>
            )}
            <Text size="sm">
              Heb je al een account?{' '}
              <Anchor component={Link} to="/aanmelden">
                Meld je aan
              </Anchor>
            </Text>
          </Stack>
        </Paper>
      </Stack>
    </Center>
  );
}
