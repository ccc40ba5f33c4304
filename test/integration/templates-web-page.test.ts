/**
 * The web page in the management template: API Gateway hands GET of the page and of its assets to the API
 * Lambda (whose zip carries the page: package.test.ts), the template says where the page is, and a user
 * pool's app client lists the page's address as a callback URL, so single sign-on on the page can come
 * back to it (POST /session/cognito accepts that address: cognito-sign-in.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { loadTemplate } from '../../backend/deploy/template.ts';
import { deploymentOf, evaluate, propertiesOf, resourcesOf } from '../helpers/cloudformation.ts';

const management = loadTemplate('management');
const REQUIRED = {
  CodeBucket: 'artifacts-111122223333',
  OrganizationId: 'o-a1b2c3d4e5',
  ExtensionOrigins: 'chrome-extension://abcdefghijklmnopabcdefghijklmnop',
  LdapUrls: 'ldaps://10.0.1.10',
  LdapBaseDn: 'DC=corp,DC=example,DC=com',
  LdapUpnSuffixes: 'corp.example.com',
};
const EXTENSION_CALLBACK = 'https://abcdefghijklmnopabcdefghijklmnop.chromiumapp.org/';
const USER_POOL = { CognitoUserPool: 'true', CognitoDomainPrefix: 'example-switchyard', CognitoCallbackUrls: EXTENSION_CALLBACK };

/** Whether an HTTP API route key (`$default`, `ANY /{proxy+}`, `GET /assets/{proxy+}`, ...) takes this request. */
function routeTakes(routeKey: string, method: string, path: string): boolean {
  if (routeKey === '$default') return true;
  const [routeMethod, routePath = ''] = routeKey.split(' ');
  if (routeMethod !== 'ANY' && routeMethod !== method) return false;
  const pattern = routePath.replace(/\{[^}]+\+\}/g, '.+').replace(/\{[^}]+\}/g, '[^/]+');
  return new RegExp(`^${pattern}$`).test(path);
}

describe('the web page in the management template', () => {
  const deployment = deploymentOf(management, { ...REQUIRED, ...USER_POOL });
  const resources = resourcesOf(deployment);

  it.each([
    ['GET', '/'],
    ['GET', '/assets/index-1a2b3c4d.js'],
    ['GET', '/assets/index-1a2b3c4d.css'],
    ['HEAD', '/'],
  ])('API Gateway hands %s %s to the API Lambda', (method, path) => {
    const routes = Object.entries(resources).filter(([, resource]) => resource.Type === 'AWS::ApiGatewayV2::Route');
    const taking = routes.filter(([id]) => routeTakes(String(propertiesOf<{ RouteKey: string }>(deployment, id).RouteKey), method, path));
    expect(taking.length).toBeGreaterThan(0);
    for (const [id] of taking) {
      const target = String(propertiesOf<{ Target: string }>(deployment, id).Target);
      const integration = target.replace(/^integrations\//, '');
      const integrationId = Object.keys(resources).find((candidate) => evaluate(deployment, { Ref: candidate }) === integration);
      expect(integrationId, `${id} -> ${target}`).toBeDefined();
      expect(management.Resources[integrationId ?? '']?.Properties?.IntegrationUri).toEqual({ 'Fn::GetAtt': ['ApiFunction', 'Arn'] });
    }
  });

  it("says where the page is: the API's root", () => {
    const page = String(evaluate(deployment, management.Outputs?.WebPageUrl?.Value));
    expect(page).toBe(`${String(evaluate(deployment, management.Outputs?.ApiUrl?.Value))}/`);
    expect(page).toMatch(/^https:\/\/[^/]+\/$/);
  });

  it("lists the page's address among the user pool app client's callback URLs, after the extension's", () => {
    const client = propertiesOf<{ CallbackURLs: string[] }>(deployment, 'UserPoolClient');
    expect(client.CallbackURLs).toEqual([EXTENSION_CALLBACK, evaluate(deployment, management.Outputs?.WebPageUrl?.Value)]);
  });
});
