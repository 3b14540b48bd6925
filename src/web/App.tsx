import { MantineProvider, Stack, Text, Title } from '@mantine/core';
import { Suspense, type ReactNode } from 'react';
import { BrowserRouter, Navigate, Route, Routes, useLocation } from 'react-router';
import { AuthProvider, useAuth } from './auth/AuthContext';
import { LoginPage } from './auth/LoginPage';
import { AppLayout } from './layout/AppLayout';
import { publicRoutes } from './screens/admin/public-routes';
import { HomePage } from './screens/home/HomePage';
import { allRoutes } from './screens/routes';
import { cssVariablesResolver, theme } from './theme';
import { Loading } from './ui/Loading';
import { ScreenErrorBoundary } from './ui/ScreenErrorBoundary';
import './app.css';

export function App() {
  return (
    <MantineProvider theme={theme} cssVariablesResolver={cssVariablesResolver}>
      <BrowserRouter>
        <AuthProvider>
          <ScreenErrorBoundary>
            <Suspense fallback={<Loading />}>
              <Routes>
                <Route path="/aanmelden" element={<LoginPage />} />
                {publicRoutes.map(({ path, screen: Screen }) => (
                  <Route key={path} path={path} element={<Screen />} />
                ))}
                <Route
                  element={
                    <RequireSignIn>
                      <AppLayout />
                    </RequireSignIn>
                  }
                >
                  <Route index element={<HomePage />} />
                  {allRoutes.map(({ path, roles, screen: Screen }) => (
                    <Route
                      key={path}
                      path={path}
                      element={
                        <RequireRole roles={roles}>
                          <Screen />
                        </RequireRole>
                      }
                    />
                  ))}
                  <Route path="*" element={<NotFound />} />
                </Route>
              </Routes>
            </Suspense>
          </ScreenErrorBoundary>
        </AuthProvider>
      </BrowserRouter>
    </MantineProvider>
  );
}

function RequireSignIn({ children }: { children: ReactNode }) {
  const { actor } = useAuth();
  const location = useLocation();
  if (actor === undefined) return <Loading label="Aanmelding controleren…" />;
  if (actor === null)
    return <Navigate to="/aanmelden" replace state={{ from: location.pathname + location.search }} />;
  return children;
}

function RequireRole({ roles, children }: { roles: readonly string[]; children: ReactNode }) {
  const { hasRole } = useAuth();
  if (roles.length > 0 && !hasRole(...roles)) {
    return (
      <Stack>
        <Title order={2}>Geen toegang</Title>
        <Text>Met je rol kan je deze pagina niet openen.</Text>
      </Stack>
    );
  }
  return children;
}

function NotFound() {
  return (
    <Stack>
      <Title order={2}>Pagina niet gevonden</Title>
      <Text>Deze pagina bestaat niet. Kies een onderdeel in het menu.</Text>
    </Stack>
  );
}
