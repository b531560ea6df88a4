import { Type } from 'typebox';
import { CodeFormatSchema, CodegenOptionsSchema, type GeneratedCode } from '@warren/topology';
import { SessionParamsSchema, TopologyDocumentSchema } from './common';

/** Body of `POST /api/code`. */
export const GenerateCodeRequestSchema = Type.Object(
  {
    topology: TopologyDocumentSchema,
    format: CodeFormatSchema,
    options: Type.Optional(CodegenOptionsSchema),
  },
  { additionalProperties: false },
);
export type GenerateCodeRequest = Type.Static<typeof GenerateCodeRequestSchema>;

/** Params of `GET /api/sessions/:id/code/:format`. */
export const SessionCodeParamsSchema = Type.Interface([SessionParamsSchema], {
  format: CodeFormatSchema,
});

export { GeneratedCodeSchema as GenerateCodeResponseSchema } from '@warren/topology';
export type GenerateCodeResponse = GeneratedCode;
