/**
 * The CloudFormation templates in backend/deploy/templates/, read as CloudFormation reads them: YAML
 * with the short intrinsic-function tags (!Ref, !Sub, ...) turned into their long JSON form
 * ({"Ref": ...}, {"Fn::Sub": ...}). Packaging and the template tests read them through here.
 */
import { readFileSync } from 'node:fs';
import { parse, type Tags } from 'yaml';
import { REPOSITORY_ROOT } from './bundle.ts';

export const TEMPLATE_NAMES = ['management', 'member', 'policy-ci'] as const;
export type TemplateName = (typeof TEMPLATE_NAMES)[number];

export function templatePath(name: TemplateName): string {
  return `${REPOSITORY_ROOT}backend/deploy/templates/${name}.yaml`;
}

export interface TemplateParameter {
  Type: string;
  Default?: string | number;
  AllowedValues?: (string | number)[];
  AllowedPattern?: string;
  MinValue?: number;
  MaxValue?: number;
  Description?: string;
}

export interface TemplateResource {
  Type: string;
  Condition?: string;
  DependsOn?: string | string[];
  Properties?: Record<string, unknown>;
  DeletionPolicy?: string;
}

export interface Template {
  Parameters?: Record<string, TemplateParameter>;
  Conditions?: Record<string, unknown>;
  Resources: Record<string, TemplateResource>;
  Outputs?: Record<string, { Value: unknown; Condition?: string; Description?: string }>;
}

const FUNCTIONS = ['Ref', 'Condition', 'Sub', 'If', 'GetAtt', 'Join', 'Split', 'Equals', 'Not', 'And', 'Or', 'Select', 'FindInMap'];
const FUNCTIONS_EXTRA = ['Base64', 'GetAZs', 'ImportValue', 'Cidr'];

const longName = (name: string) => (name === 'Ref' || name === 'Condition' ? name : `Fn::${name}`);

/** yaml custom tags for every short form, whether it tags a scalar, a sequence or a mapping. */
const CLOUDFORMATION_TAGS: Tags = [...FUNCTIONS, ...FUNCTIONS_EXTRA].flatMap((name) => [
  { tag: `!${name}`, resolve: (value: string) => ({ [longName(name)]: name === 'GetAtt' ? value.split('.') : value }) },
  { tag: `!${name}`, collection: 'seq' as const, resolve: (seq: { toJSON(): unknown }) => ({ [longName(name)]: seq.toJSON() }) },
  { tag: `!${name}`, collection: 'map' as const, resolve: (map: { toJSON(): unknown }) => ({ [longName(name)]: map.toJSON() }) },
]);

export function parseTemplate(text: string): Template {
  return parse(text, { customTags: CLOUDFORMATION_TAGS }) as Template;
}

export function loadTemplate(name: TemplateName): Template {
  return parseTemplate(readFileSync(templatePath(name), 'utf8'));
}

/** Parameters without a default: what a deployment must say. */
export function requiredParameters(template: Template): string[] {
  return Object.entries(template.Parameters ?? {})
    .filter(([, parameter]) => parameter.Default === undefined)
    .map(([name]) => name);
}
