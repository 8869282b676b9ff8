/** Amazon Bedrock: model access, agreements and invocations. */
import { jsonContent } from '../../../encode/byte-writer.js';
import { fmt, ref, type SlotValue } from '../../../encode/layout/index.js';
import type { EventContext } from '../context.js';
import { ERR, type CatalogGroup, type ErrorSpec, type EventSpec } from './types.js';

/** A chat model, and whether on-demand calls must go through a cross-region inference profile (`us.`, `eu.`…). */
interface ChatModel {
  readonly id: string;
  readonly profile: boolean;
}
const CHAT_MODELS: readonly ChatModel[] = [
  { id: 'anthropic.claude-3-5-sonnet-20240620-v1:0', profile: false },
  { id: 'anthropic.claude-3-5-sonnet-20241022-v2:0', profile: true },
  { id: 'anthropic.claude-3-7-sonnet-20250219-v1:0', profile: true },
  { id: 'anthropic.claude-sonnet-4-20250514-v1:0', profile: true },
  { id: 'anthropic.claude-3-haiku-20240307-v1:0', profile: false },
  { id: 'anthropic.claude-3-5-haiku-20241022-v1:0', profile: true },
  { id: 'amazon.nova-pro-v1:0', profile: false },
  { id: 'amazon.nova-lite-v1:0', profile: false },
  { id: 'amazon.nova-micro-v1:0', profile: false },
  { id: 'meta.llama3-1-70b-instruct-v1:0', profile: false },
  { id: 'mistral.mistral-large-2407-v1:0', profile: false },
];
const EMBED_MODELS = ['amazon.titan-embed-text-v2:0', 'amazon.titan-embed-text-v1', 'cohere.embed-english-v3', 'cohere.embed-multilingual-v3'].map(jsonContent);
/** Marketplace (third-party) models: the ones with agreement offers, entitlements and availability checks. */
const CATALOG_MODELS = [
  'anthropic.claude-3-5-sonnet-20240620-v1:0',
  'anthropic.claude-3-5-sonnet-20241022-v2:0',
  'anthropic.claude-3-7-sonnet-20250219-v1:0',
  'anthropic.claude-sonnet-4-20250514-v1:0',
  'anthropic.claude-3-haiku-20240307-v1:0',
  'anthropic.claude-3-5-haiku-20241022-v1:0',
  'anthropic.claude-3-sonnet-20240229-v1:0',
  'meta.llama3-1-70b-instruct-v1:0',
  'meta.llama3-1-8b-instruct-v1:0',
  'mistral.mistral-large-2407-v1:0',
  'cohere.command-r-plus-v1:0',
  'ai21.jamba-1-5-large-v1:0',
];
const CATALOG_IDS = CATALOG_MODELS.map(jsonContent);
/** The same ids without the `:N` throughput suffix, as agreement responses name them. */
const CATALOG_BASES = CATALOG_MODELS.map((m) => jsonContent(m.replace(/:\d+$/, '')));
const CHAT_IDS = CHAT_MODELS.map((m) => jsonContent(m.id));

/** Geography prefix of the cross-region inference profiles callable from a region. */
function profilePrefix(region: string): string {
  if (region.startsWith('eu-')) return 'eu.';
  if (region.startsWith('ap-')) return 'apac.';
  return 'us.';
}

const VALIDATION = 'ValidationException';
const isValidation = (code: Uint8Array | null | undefined) => !!code && code.length === VALIDATION.length && code[0] === 86 && code[1] === 97;
const PROFILE_ONLY = CHAT_MODELS.flatMap((m, i) => (m.profile ? [i] : []));

/**
 * A chat model for this record. An application's service role keeps calling the model it was built on; people try
 * several. Newer models are called through the geography's inference profile; a ValidationException is the
 * classic mistake of calling one of them by its bare model id.
 */
function chatModel(ctx: EventContext, out: SlotValue): void {
  const a = ctx.actor;
  if (isValidation(ctx.error?.code)) return out.set(CHAT_IDS[PROFILE_ONLY[ctx.rng.int(PROFILE_ONLY.length)]]);
  const i = a.actor.kind === 'service' ? (a.globalIndex * 2654435761) % 7 : ctx.rng.int(CHAT_MODELS.length);
  const model = CHAT_MODELS[i];
  if (!model.profile) return out.set(CHAT_IDS[i]);
  const w = out.compose();
  w.ascii(profilePrefix(ctx.regionText));
  w.bytes(CHAT_IDS[i]);
}

const bedrockDenied = { code: 'AccessDeniedException', message: "You don't have access to the model with the specified model ID.", weight: 2 } satisfies ErrorSpec;
const invalidModel = { code: 'ValidationException', message: 'The provided model identifier is invalid.', weight: 1 } satisfies ErrorSpec;
const runtimeErrors = (modelSlot: string): readonly ErrorSpec[] => [
  ERR.accessDeniedException,
  bedrockDenied,
  { code: 'ThrottlingException', message: 'Too many requests, please wait before trying again.', weight: 4 },
  invalidModel,
  { code: VALIDATION, message: `Invocation of model ID {${modelSlot}} with on-demand throughput isn’t supported. Retry your request with the ID or ARN of an inference profile that contains this model.`, weight: 1 },
  { code: 'ModelTimeoutException', message: 'Model has timed out in processing the request. Try your request again.', weight: 0.3 },
  { code: 'ServiceUnavailableException', message: 'Bedrock is unable to process your request.', weight: 0.3 },
];
const controlErrors: readonly ErrorSpec[] = [ERR.accessDeniedException, invalidModel, ERR.throttling];
const runtimeHost = fmt('bedrock-runtime.{region}.amazonaws.com');

/** Applications calling models: product features, batch enrichment in the data lake, developers trying prompts. */
const apps = { generic: 2, datalake_bot: 0.6, developer: 0.4, admin: 0.05 };
const modelAccess = { admin: 1, developer: 0.3 };

const EVENTS: readonly EventSpec[] = [
  { name: 'InvokeModel', service: 'bedrock', weight: 2, readOnly: true, management: true, who: apps, request: { modelId: ref('gov.runtimeModelId') }, response: null, host: runtimeHost, errors: runtimeErrors('gov.runtimeModelId'), errorBias: 1.5 },
  { name: 'Converse', service: 'bedrock', weight: 1.5, readOnly: true, management: true, who: { ...apps, datalake_bot: 0.2 }, request: { modelId: ref('gov.chatModelId') }, response: null, host: runtimeHost, errors: runtimeErrors('gov.chatModelId'), errorBias: 1.5 },
  // The console's model catalog and model-access pages.
  { name: 'GetFoundationModelAvailability', service: 'bedrock', weight: 0.3, readOnly: true, management: true, who: { admin: 1, developer: 1, readonly: 0.2 }, request: { modelId: ref('gov.catalogModelId') }, response: null, errors: controlErrors },
  { name: 'ListFoundationModelAgreementOffers', service: 'bedrock', weight: 0.05, readOnly: true, management: true, who: modelAccess, request: { modelId: ref('gov.catalogModelId') }, response: null, errors: controlErrors },
  { name: 'CreateFoundationModelAgreement', service: 'bedrock', weight: 0.01, readOnly: false, management: true, who: modelAccess, request: { modelId: ref('gov.catalogModelId') }, response: { modelId: ref('gov.catalogModelBase') }, errors: [ERR.accessDeniedException, invalidModel, { code: 'ConflictException', message: 'An agreement already exists for the model {gov.catalogModelBase}.', weight: 1 }] },
  { name: 'PutFoundationModelEntitlement', service: 'bedrock', weight: 0.01, readOnly: false, management: true, who: modelAccess, request: { modelId: ref('gov.catalogModelId') }, response: { status: 'SUCCESS' }, errors: controlErrors },
  { name: 'PutUseCaseForModelAccess', service: 'bedrock', weight: 0.005, readOnly: false, management: true, who: { admin: 1 }, request: null, response: null, errors: [ERR.accessDeniedException, { code: 'ValidationException', message: 'The use case form is incomplete.', weight: 1 }] },
];

export const bedrockGroup: CatalogGroup = {
  events: EVENTS,
  slots: {
    'gov.chatModelId': chatModel,
    // InvokeModel also serves embeddings (RAG indexing, semantic search).
    'gov.runtimeModelId': (ctx, out) => {
      const embed = !isValidation(ctx.error?.code) && (ctx.actor.actor.kind === 'service' ? (ctx.actor.globalIndex * 40503) % 10 < 4 : ctx.rng.chance(0.25));
      if (!embed) return chatModel(ctx, out);
      out.set(EMBED_MODELS[ctx.actor.actor.kind === 'service' ? ctx.actor.globalIndex % EMBED_MODELS.length : ctx.rng.int(EMBED_MODELS.length)]);
    },
    'gov.catalogModelId': (ctx, out) => out.set(CATALOG_IDS[ctx.rng.int(CATALOG_IDS.length)]),
    'gov.catalogModelBase': (_ctx, out, slots) => out.set(CATALOG_BASES[CATALOG_IDS.indexOf(slots.byName('gov.catalogModelId').ref!)]),
  },
};
