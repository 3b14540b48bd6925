import { Alert, Anchor, Center, Paper, Stack, Text, Title } from '@mantine/core';
import { useEffect, useRef, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { api, ApiFailure } from '../../api/client';
import { useAuth } from '../../auth/AuthContext';
import { Loading } from '../../ui/Loading';
import { readCallback, type OidcPurpose } from './oidc';
import type { InviteAccepted } from '../../../people/people-answers';

/**
 * Where the OIDC provider sends the person back: `/aanmelden/oidc?code=…&state=…` (code flow) or
 * `/aanmelden/oidc#id_token=…&state=…` (implicit flow).
 */
export function OidcCallbackPage() {
  const { signInWithOidc, adoptSession } = useAuth();
  const navigate = useNavigate();
  const [error, setError] = useState<{ message: string; back: string | null } | null>(null);
  /** The invite was accepted, but this installation starts no session (tokens come from the provider). */
  const [accountOnly, setAccountOnly] = useState(false);
  const started = useRef(false);

  useEffect(() => {
    if (started.current) return;
    started.current = true;
    document.title = 'Aanmelden - Lokaal Signaal';
    const callback = readCallback(window.location.search, window.location.hash);
    // The code or token leaves the address bar (and the history) right away.
    navigate(window.location.pathname, { replace: true });
    if (!callback.ok) {
      setError({ message: callback.message, back: backTo(callback.purpose) });
      return;
    }
    const { purpose, proof } = callback;
    void (async () => {
      try {
        if (purpose.kind === 'accept-invite') {
          // The server signs the new person in with the accept: the ID token's nonce is used once.
          const { body } = await api<InviteAccepted>('/invites/accept', {
            body: { tenant: purpose.tenant, token: purpose.token, name: purpose.name, ...proof },
            anonymous: true,
          });
          // Accepted through the provider, the answer carries the session; not where access tokens
          // come from the provider itself (JWKS_URL): the account exists, the person signs in there.
          if (body.session === undefined) {
            setAccountOnly(true);
            return;
          }
          await adoptSession(purpose.tenant, body.session);
        } else {
          await signInWithOidc(purpose.tenant, proof);
        }
        navigate(purpose.kind === 'sign-in' && purpose.from ? purpose.from : '/', { replace: true });
      } catch (failure) {
        setError({
          message:
            failure instanceof ApiFailure ? failure.message : 'Aanmelden lukte niet. Probeer het opnieuw.',
          back: backTo(purpose),
        });
      }
    })();
  }, [navigate, signInWithOidc, adoptSession]);

  return (
    <Center mih="100vh" p="md" component="main">
      <Stack w={480} maw="100%">
        <Title order={1} ta="center">
          Lokaal Signaal
        </Title>
        <Paper withBorder p="lg">
          <Stack>
            <Title order={2} size="h3">
              Aanmelden via identiteitsprovider
            </Title>
            {error ? (
              <>
                <Alert color="red" role="alert" title="Niet aangemeld">
                  {error.message}
                </Alert>
                <Text size="sm">
                  <Anchor component={Link} to={error.back ?? '/aanmelden'}>
                    {error.back ? 'Terug naar je uitnodiging' : 'Terug naar de aanmeldpagina'}
                  </Anchor>
                </Text>
              </>
            ) : accountOnly ? (
              <Alert color="green" role="status" title="Je account is aangemaakt">
                Je uitnodiging is aanvaard. Meld je voortaan aan via de identiteitsprovider van je bestuur.
              </Alert>
            ) : (
              <Loading label="Aanmelding controleren…" />
            )}
          </Stack>
        </Paper>
      </Stack>
    </Center>
  );
}

/** Back to the invite (with its link's tenant and code) when accepting it failed. */
function backTo(purpose: OidcPurpose | null): string | null {
  if (purpose?.kind !== 'accept-invite') return null;
  return `/uitnodiging#${new URLSearchParams({ tenant: purpose.tenant, token: purpose.token }).toString()}`;
}
