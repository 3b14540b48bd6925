import { Stack, Tabs, Title } from '@mantine/core';
import { useEffect } from 'react';
import { useNavigate, useParams } from 'react-router';
import { InvitesPanel } from './admin-InvitesPanel';
import { OrganisationsPanel } from './admin-OrganisationsPanel';
import { PeoplePanel } from './admin-PeoplePanel';
import { SettingsPanel } from './admin-SettingsPanel';

const TABS = [
  { value: 'instellingen', label: 'Instellingen' },
  { value: 'organisaties', label: 'Organisaties' },
  { value: 'personen', label: 'Personen' },
  { value: 'uitnodigingen', label: 'Uitnodigingen' },
] as const;

/** "Beheer" (tenant-admin): the settings of the bestuur, its organisations, people and invites. */
export function AdminPage() {
  const { tab = 'instellingen' } = useParams();
  const navigate = useNavigate();
  const current = TABS.some((t) => t.value === tab) ? tab : 'instellingen';

  useEffect(() => {
    document.title = `Beheer: ${TABS.find((t) => t.value === current)?.label ?? ''} - Lokaal Signaal`;
  }, [current]);

  return (
    <Stack>
      <Title order={2}>Beheer</Title>
      <Tabs
        value={current}
        onChange={(value) => value && navigate(value === 'instellingen' ? '/beheer' : `/beheer/${value}`)}
        keepMounted={false}
      >
        <Tabs.List>
          {TABS.map((t) => (
            <Tabs.Tab key={t.value} value={t.value}>
              {t.label}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        <Tabs.Panel value="instellingen" pt="md">
          <SettingsPanel />
        </Tabs.Panel>
        <Tabs.Panel value="organisaties" pt="md">
          <OrganisationsPanel />
        </Tabs.Panel>
        <Tabs.Panel value="personen" pt="md">
          <PeoplePanel />
        </Tabs.Panel>
        <Tabs.Panel value="uitnodigingen" pt="md">
          <InvitesPanel />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}
