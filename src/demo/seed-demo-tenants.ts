import type { Clock } from '../platform/clock.js';
import type { EventStore } from '../platform/event-store/event-store.port.js';
import { TenantsService } from '../tenants/tenants.service.js';
import type { PopulationBand } from '../tenants/tenant.events.js';
import { organisationsOf, PILOT_MUNICIPALITIES } from './municipalities.js';

/** NIS codes (Statbel) of the pilot municipalities. */
const NIS: Record<string, string> = {
  bornem: '12007',
  dendermonde: '42006',
  eeklo: '43005',
  gent: '44021',
  kortrijk: '34022',
  mortsel: '11029',
  'oud-turnhout': '13031',
  roeselare: '36015',
  'sint-niklaas': '46021',
  berlaar: '12002',
};

function band(populationK: number): PopulationBand {
  if (populationK < 10) return 'lt-10000';
  if (populationK < 25) return '10000-25000';
  if (populationK < 50) return '25000-50000';
  if (populationK < 100) return '50000-100000';
  return 'gt-100000';
}

const PLATFORM_ADMIN = { id: 'platform-admin', role: 'platform-admin' };

/** The demo municipality that does not contribute to the supra-local views. */
export const DEMO_OPTED_OUT = 'berlaar';

/**
 * The demo tenants' profiles: each seeded municipality as a tenant with a contact point, privacy
 * statement and invite instructions, and its partner organisations with their engagement modes,
 * so that the public page (`GET /public/gent`) and partner scopes have something to show.
 */
export async function seedDemoTenants(
  store: EventStore,
  tenantIds: readonly string[],
  clock: Clock,
): Promise<number> {
  const tenants = new TenantsService(store, clock);
  let created = 0;
  for (const m of PILOT_MUNICIPALITIES.filter((candidate) => tenantIds.includes(candidate.slug))) {
    if ((await tenants.tenant(m.slug)).status === 'exists') continue;
    await tenants.createTenant(PLATFORM_ADMIN, {
      tenantId: m.slug,
      name: m.name,
      nisCode: NIS[m.slug] ?? '00000',
      populationBand: band(m.populationK),
    });
    const admin = { id: `${m.slug}-admin-1`, role: 'tenant-admin' };
    const organisations = organisationsOf(m);
    for (const org of organisations) {
      await tenants.registerOrganisation(admin, m.slug, {
        id: org.id,
        name: org.name,
        engagementMode: org.mode,
      });
    }
    const partners = organisations.filter((org) => !org.municipal);
    await tenants.changeSettings(admin, m.slug, {
      // Every demo municipality but one takes part in the supra-local views, so both can be seen.
      supralocalOptIn: m.slug !== DEMO_OPTED_OUT,
      contactPoint: {
        name: `Meldpunt Lokaal Signaal ${m.name}`,
        email: `signalen@${m.slug}.example`,
        phone: null,
      },
      privacyStatement:
        `Een signaal beschrijft een situatie, geen persoon. ${m.name} bewaart de vrije tekst van signalen ` +
        'vijf jaar na afsluiten en wist ze daarna automatisch. Individuele signalen blijven lokaal.',
      inviteInstructions: `Werk je in ${m.name} met mensen in een kwetsbare situatie? Vraag via het meldpunt een uitnodiging aan.`,
      agreements: [
        {
          title: 'Samenwerkingsafspraak Lokaal Signaal',
          summary:
            'Partners melden structurele signalen; het lokaal bestuur neemt de regie en geeft feedback.',
          organisationIds: partners.map((org) => org.id),
        },
      ],
    });
    created += 1;
  }
  return created;
}
