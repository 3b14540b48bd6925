import {
  Alert,
  Anchor,
  Button,
  Center,
  Paper,
  PasswordInput,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useEffect, useState, type FormEvent } from 'react';
import { Link, useLocation, useNavigate } from 'react-router';
import { api, ApiFailure } from '../api/client';
import { roleLabel } from '../terms';
import { browserFlowOf, goToProvider } from '../screens/admin/oidc';
import { useAuth } from './AuthContext';
import type { SignInOptions } from '../../people/people-answers';

export function LoginPage() {
  const { signIn } = useAuth();
  const navigate = useNavigate();
  const location = useLocation();
  const [tenant, setTenant] = useState(() => localStorage.getItem('lokaal-signaal.tenant') ?? '');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [options, setOptions] = useState<SignInOptions | null>(null);

  useEffect(() => {
    api<SignInOptions>('/auth/options', { anonymous: true })
      .then(({ body }) => setOptions(body))
      .catch(() => setOptions(null));
  }, []);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await signIn(tenant.trim().toLowerCase(), email.trim(), password);
      const from = (location.state as { from?: string } | null)?.from;
      navigate(from && from !== '/aanmelden' ? from : '/', { replace: true });
    } catch (failure) {
      setError(
        failure instanceof ApiFailure ? failure.message : 'Aanmelden lukte niet. Probeer het opnieuw.',
      );
    } finally {
      setBusy(false);
    }
  }

  const oidc = browserFlowOf(options?.oidc);

  function signInWithProvider() {
    if (!oidc) return;
    const slug = tenant.trim().toLowerCase();
    if (!/^[a-z][a-z0-9-]{1,62}$/.test(slug)) {
      setError('Vul eerst de code van je bestuur in, bijvoorbeeld gent.');
      return;
    }
    const from = (location.state as { from?: string } | null)?.from;
    localStorage.setItem('lokaal-signaal.tenant', slug);
    goToProvider(oidc, { kind: 'sign-in', tenant: slug, ...(from ? { from } : {}) }).catch(() =>
      setError('De aanmelding bij de identiteitsprovider kon niet starten. Probeer het opnieuw.'),
    );
  }

  function fillDemo(account: NonNullable<SignInOptions['demoAccounts']>[number]) {
    setTenant(account.tenant);
    setEmail(account.email);
    setPassword(account.password);
  }

  return (
    <Center mih="100vh" p="md">
      <Stack w={440} maw="100%">
        <Title order={1} ta="center">
          Lokaal Signaal
        </Title>
        <Paper withBorder p="lg" component="form" onSubmit={submit} aria-labelledby="login-title">
          <Stack>
            <Title order={2} size="h3" id="login-title">
              Aanmelden
            </Title>
            {error && (
              <Alert color="red" role="alert" title="Niet aangemeld">
                {error}
              </Alert>
            )}
            <TextInput
              label="Bestuur"
              description="De code van je gemeente, bijvoorbeeld gent"
              value={tenant}
              onChange={(e) => setTenant(e.currentTarget.value)}
              required
              autoComplete="organization"
            />
            <TextInput
              label="E-mailadres"
              type="email"
              value={email}
              onChange={(e) => setEmail(e.currentTarget.value)}
              required
              autoComplete="username"
            />
            <PasswordInput
              label="Wachtwoord"
              value={password}
              onChange={(e) => setPassword(e.currentTarget.value)}
              required
              autoComplete="current-password"
            />
            <Button type="submit" loading={busy}>
              Aanmelden
            </Button>
            {oidc && (
              <Button variant="default" onClick={signInWithProvider}>
                Aanmelden via identiteitsprovider
              </Button>
            )}
            <Text size="sm">
              Uitgenodigd?{' '}
              <Anchor component={Link} to="/uitnodiging">
                Aanvaard je uitnodiging
              </Anchor>
            </Text>
          </Stack>
        </Paper>
        {options?.demoAccounts && options.demoAccounts.length > 0 && (
          <Paper withBorder p="md">
            <Title order={2} size="h5" mb="xs">
              Demo-accounts
            </Title>
            <Text size="sm" mb="xs">
              Deze installatie draait met demogegevens. Kies een rol om de velden in te vullen.
            </Text>
            <Table>
              <Table.Tbody>
                {options.demoAccounts.map((account) => (
                  <Table.Tr key={`${account.tenant}/${account.email}`}>
                    <Table.Td>{account.roles.map(roleLabel).join(', ')}</Table.Td>
                    <Table.Td>
                      <Button variant="subtle" size="compact-sm" onClick={() => fillDemo(account)}>
                        {account.email}
                      </Button>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Paper>
        )}
      </Stack>
    </Center>
  );
}
