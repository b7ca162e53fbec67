import type { JsonSchema } from './openapi-schemas';

const int: JsonSchema = { type: 'integer', minimum: 0 };
const nnum: JsonSchema = { type: ['number', 'null'] };
const obj = (properties: Record<string, JsonSchema>): JsonSchema => ({ type: 'object', properties, required: Object.keys(properties) });
const ref = (name: string): JsonSchema => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: JsonSchema) => ({ 'application/json': { schema } });
const fail = (description: string) => ({ description, content: json(ref('Error')) });
const dateOrTime: JsonSchema = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}(T\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?(Z|[+-]\\d{2}:\\d{2}))?$' };

/** The answers API: `GET /api/funnels/{funnelId}/answers` (NPS, quiz and question answers). */
export const answerOpenApiPaths = {
  '/api/funnels/{funnelId}/answers': {
    get: {
      tags: ['funnels'], operationId: 'funnelAnswers',
      summary: 'NPS of the funnel and of each asking touch (promoters 9–10, detractors 0–6), the distribution of every ask\'s answers, average scores and the comments, over [from, to)',
      parameters: [
        { name: 'funnelId', in: 'path', required: true, description: 'funnel id', schema: { type: 'string' } },
        { name: 'from', in: 'query', required: false, description: 'ISO 8601 date or date-time; answers from then', schema: dateOrTime },
        { name: 'to', in: 'query', required: false, description: 'ISO 8601 date or date-time, exclusive; a date includes that whole UTC day', schema: dateOrTime },
      ],
      responses: {
        200: { description: 'the answers', content: json(ref('FunnelAnswers')) },
        400: fail('an unknown query parameter (`bad_request`)'),
        404: fail('unknown funnel (`not_found`)'),
        422: fail('a bad date or from not before to (`validation_failed`)'),
        401: fail('missing or wrong bearer token (`unauthorized`); the answer carries `WWW-Authenticate: Bearer`'),
        500: fail('unexpected failure (`internal`)'),
        503: fail('Temporal cannot be reached right now (`unavailable`)'),
      },
    },
  },
};

/** The schemas of the answers API. */
export function answerSchemas(): Record<string, JsonSchema> {
  const nps: JsonSchema = { type: ['object', 'null'], properties: { responses: int, promoters: int, passives: int, detractors: int, nps: nnum }, required: ['responses', 'promoters', 'passives', 'detractors', 'nps'] };
  return {
    FunnelAnswers: obj({
      funnelId: { type: 'string' },
      nps,
      asks: {
        type: 'array', items: obj({
          askId: { type: 'string' }, kind: { type: 'string', enum: ['options', 'scale', 'text'] },
          scale: { type: ['object', 'null'], properties: { from: { type: 'integer' }, to: { type: 'integer' } }, required: ['from', 'to'] },
          responses: int, distribution: { type: 'object', additionalProperties: int }, averageScore: nnum, nps,
          comments: { type: 'array', items: obj({ contactId: { type: 'string' }, score: nnum, text: { type: 'string' }, at: { type: 'string', format: 'date-time' } }) },
        }),
      },
    }),
  };
}
