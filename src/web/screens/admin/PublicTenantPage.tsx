import { Anchor, Badge, Card, Container, Group, List, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useEffect } from 'react';
import { Link, useParams } from 'react-router';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { Loading } from '../../ui/Loading';
import { useApi } from '../../ui/useApi';
import { themeLabel } from './themes';
import type { PublicTenantPage } from '../../../tenants/tenant-answers';

/** A municipality's public Lokaal Signaal page (no sign-in): partners, agreements, suppressed figures. */
export function PublicTenantPage() {
  const { tenant = '' } = useParams();
  const { data, error, loading, reload } = useApi<PublicTenantPage>(`/public/${encodeURIComponent(tenant)}`);

  useEffect(() => {
    document.title = `${data?.tenant.name ?? 'Gemeente'} - Lokaal Signaal`;
  }, [data]);

  const hidden = (n: number | null) =>
    n === null ? `minder dan ${data?.figures.minimumCount ?? 5}` : String(n);
  const orgName = (id: string) => data?.organisations.find((o) => o.id === id)?.name ?? id;

  return (
    <Container size="md" py="lg" component="main">
      <Stack>
        <Title order={1}>Lokaal Signaal</Title>
        {loading && !data && <Loading />}
        {error !== undefined && <ErrorAlert error={error} onRetry={reload} />}
        {data && (
          <>
            <Title order={2}>{data.tenant.name}</Title>
            <Text>
              In {data.tenant.name} melden frontliniewerkers structurele problemen die ze bij hun cliënten
              zien als signaal. De gemeente en haar partners bundelen ze en agenderen ze bij het beleid.
            </Text>

            <Paper withBorder p="md">
              <Title order={3} mb="xs">
                Cijfers {data.figures.year}
              </Title>
              <Group mb="sm">
                <Text>
                  Ontvangen signalen: <strong>{hidden(data.figures.received)}</strong>
                </Text>
                <Text>
                  Afgesloten: <strong>{hidden(data.figures.closed)}</strong>
                </Text>
              </Group>
              {data.figures.byTheme.length > 0 && (
                <Table aria-label={`Signalen per thema in ${data.figures.year}`}>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>Thema</Table.Th>
                      <Table.Th>Ontvangen</Table.Th>
                      <Table.Th>Afgesloten</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {data.figures.byTheme.map((row) => (
                      <Table.Tr key={row.theme}>
                        <Table.Td>{themeLabel(row.theme)}</Table.Td>
                        <Table.Td>{row.received}</Table.Td>
                        <Table.Td>{hidden(row.closed)}</Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              )}
              <Text size="sm" c="dimmed" mt="xs">
                {data.figures.note}
              </Text>
            </Paper>

            <Title order={3}>Partners</Title>
            {data.organisations.length === 0 ? (
              <Text>Er zijn nog geen partnerorganisaties geregistreerd.</Text>
            ) : (
              <Stack gap="xs">
                {data.organisations.map((o) => (
                  <Card key={o.id} withBorder padding="sm">
                    <Group justify="space-between" wrap="wrap">
                      <Text fw={600}>{o.name}</Text>
                      <Badge variant="light" color="blue">
                        {o.engagement}
                      </Badge>
                    </Group>
                    {o.description && <Text size="sm">{o.description}</Text>}
                  </Card>
                ))}
              </Stack>
            )}

            {data.agreements.length > 0 && (
              <>
                <Title order={3}>Samenwerkingsafspraken</Title>
                <List spacing="sm">
                  {data.agreements.map((a) => (
                    <List.Item key={a.title}>
                      <Text fw={600}>{a.title}</Text>
                      <Text size="sm">{a.summary}</Text>
                      {a.organisationIds.length > 0 && (
                        <Text size="sm" c="dimmed">
                          Met: {a.organisationIds.map(orgName).join(', ')}
                        </Text>
                      )}
                    </List.Item>
                  ))}
                </List>
              </>
            )}

            <Title order={3}>Meedoen</Title>
            <Text>{data.howToGetAnInvite}</Text>
            {data.contactPoint && (
              <Text>
                Meldpunt: {data.contactPoint.name},{' '}
                <Anchor href={`mailto:${data.contactPoint.email}`}>{data.contactPoint.email}</Anchor>
                {data.contactPoint.phone ? `, ${data.contactPoint.phone}` : ''}
              </Text>
            )}
            <Text>
              Bovenlokale samenwerking (VVSG):{' '}
              {data.supralocalOptIn
                ? 'deze gemeente deelt geanonimiseerde cijfers voor bovenlokale analyse.'
                : 'deze gemeente deelt geen cijfers voor bovenlokale analyse.'}
            </Text>

            {data.privacyStatement && (
              <>
                <Title order={3}>Privacy</Title>
                <Text style={{ whiteSpace: 'pre-line' }}>{data.privacyStatement}</Text>
              </>
            )}
            <Text size="sm">
              <Anchor component={Link} to="/aanmelden">
                Aanmelden
              </Anchor>{' '}
              ·{' '}
              <Anchor component={Link} to="/uitnodiging">
                Uitnodiging aanvaarden
              </Anchor>
            </Text>
          </>
        )}
      </Stack>
    </Container>
  );
}
