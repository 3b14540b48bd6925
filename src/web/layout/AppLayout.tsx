import {
  AppShell,
  Burger,
  Button,
  Group,
  NavLink,
  ScrollArea,
  Text,
  Title,
  VisuallyHidden,
} from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { Suspense } from 'react';
import { NavLink as RouterLink, Outlet, useLocation, useNavigate } from 'react-router';
import { useActor, useAuth } from '../auth/AuthContext';
import { routesFor } from '../screens/routes';
import { roleLabel } from '../terms';
import { Loading } from '../ui/Loading';
import { ScreenErrorBoundary } from '../ui/ScreenErrorBoundary';

/** The frame of every signed-in screen: a header with who is signed in, the menu for their roles. */
export function AppLayout() {
  const actor = useActor();
  const { signOut } = useAuth();
  const location = useLocation();
  const navigate = useNavigate();
  const [opened, { toggle, close }] = useDisclosure();
  const menu = routesFor(actor.roles).filter((route) => route.menu);

  return (
    <AppShell
      header={{ height: 56 }}
      navbar={{ width: 250, breakpoint: 'sm', collapsed: { mobile: !opened } }}
      padding="md"
    >
      <a href="#inhoud" className="skip-link">
        Naar de inhoud
      </a>
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group wrap="nowrap">
            <Burger
              opened={opened}
              onClick={toggle}
              hiddenFrom="sm"
              size="sm"
              aria-label="Menu openen of sluiten"
            />
            <Title order={1} size="h4">
              Lokaal Signaal
            </Title>
            <Text size="sm" c="dimmed" visibleFrom="sm">
              {actor.tenantName ?? actor.tenantId}
            </Text>
          </Group>
          <Group wrap="nowrap">
            <Text size="sm" visibleFrom="sm">
              {actor.roles.map(roleLabel).join(', ')}
            </Text>
            <Button
              variant="default"
              size="xs"
              onClick={async () => {
                await signOut();
                navigate('/aanmelden');
              }}
            >
              Afmelden
            </Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" aria-label="Hoofdmenu" component="nav">
        <VisuallyHidden>
          <h2>Menu</h2>
        </VisuallyHidden>
        <ScrollArea>
          {menu.map((route) => (
            <NavLink
              key={route.path}
              component={RouterLink}
              to={route.path}
              label={route.menu}
              onClick={close}
            />
          ))}
        </ScrollArea>
      </AppShell.Navbar>
      <AppShell.Main id="inhoud" tabIndex={-1}>
        <ScreenErrorBoundary key={location.pathname}>
          <Suspense fallback={<Loading />}>
            <Outlet />
          </Suspense>
        </ScreenErrorBoundary>
      </AppShell.Main>
    </AppShell>
  );
}
