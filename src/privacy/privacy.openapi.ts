import { described, errorResponse as error, type Paths } from '../platform/http/openapi-parts.js';
import { REASON_MAX, REASON_MIN } from './erase-text/erase-text.decider.js';

/** The erasure route, described by hand: its controller takes an untyped body it checks itself. */
export function privacyPaths(existing: Paths): Paths {
  return described(existing, {
    '/signals/{id}/erase-text': {
      post: {
        tags: ['privacy'],
        summary: 'De vrije tekst van een signaal wissen',
        description:
          'Enkel de hoofdsignaalverwerker. Vernietigt de gegevenssleutel van het signaal en registreert ' +
          'SignalTextErased: de gebeurtenissen blijven (de geschiedenis en de hashketen blijven kloppen), ' +
          'hun vrije tekst leest voortaan "[gewist]" in elk leesmodel en elk antwoord.',
        security: [{ bearer: [] }],
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }],
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                type: 'object',
                additionalProperties: false,
                required: ['reason'],
                properties: {
                  reason: {
                    type: 'string',
                    minLength: REASON_MIN,
                    maxLength: REASON_MAX,
                    description:
                      'Waarom de tekst gewist wordt (zonder persoonsgegevens; blijft leesbaar voor de audit). De lengte telt zonder spaties vooraan en achteraan.',
                  },
                },
              },
            },
          },
        },
        responses: {
          '200': {
            description: 'Gewist',
            headers: {
              ETag: { description: 'De revisie van het signaal na de wissing', schema: { type: 'string' } },
            },
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  required: ['signalId', 'revision', 'position', 'keysDestroyed'],
                  properties: {
                    signalId: { type: 'string', format: 'uuid' },
                    revision: { type: 'string', description: 'Revisie van het signaal na de wissing' },
                    position: { type: 'string', description: 'Globale positie: geef ze mee als minPosition' },
                    keysDestroyed: { type: 'integer', description: 'Vernietigde gegevenssleutels' },
                  },
                },
              },
            },
          },
          '400': error(
            'INVALID_ID, MALFORMED_JSON, FIELD_REQUIRED, FIELD_INVALID, FIELD_NOT_ALLOWED (details.field noemt het veld)',
          ),
          '403': error('ROLE_NOT_ALLOWED (enkel de hoofdsignaalverwerker)'),
          '404': error('SIGNAL_NOT_FOUND'),
          '409': error('TEXT_ALREADY_ERASED, CONCURRENCY_CONFLICT'),
          '422': error('PERSONAL_DATA_DETECTED in de reden (details: field en kind)'),
        },
      },
    },
  });
}
