import { Anchor, List, Stack, Text, Title } from '@mantine/core';
import { Link } from 'react-router';
import { useActor } from '../../auth/AuthContext';
import { roleLabel } from '../../terms';
import { routesFor } from '../routes';

/** The landing page: who you are here and what you can do, as links. */
export function HomePage() {
  const actor = useActor();
  const screens = routesFor(actor.roles).filter((route) => route.menu && route.path !== '/');
  return (
    <Stack>
      <Title order={2}>Welkom bij Lokaal Signaal</Title>
      <Text>
        Je bent aangemeld bij <strong>{actor.tenantName ?? actor.tenantId}</strong> als{' '}
        {actor.roles.map(roleLabel).join(', ')}.
      </Text>
      {screens.length > 0 && (
        <List aria-label="Wat je hier kan doen">
          {screens.map((route) => (
            <List.Item key={route.path}>
              <Anchor component={Link} to={route.path}>
                {route.menu}
              </Anchor>
            </List.Item>
          ))}
        </List>
      )}
    </Stack>
  );
}
