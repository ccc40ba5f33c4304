import { describe, expect, it } from 'vitest';
import { routeOf } from './route.ts';

describe('routeOf', () => {
  it('reads the list, a deep link and the CLI sign-in; anything else is the list', () => {
    expect(routeOf('')).toEqual({ kind: 'list' });
    expect(routeOf('#/')).toEqual({ kind: 'list' });
    expect(routeOf('#/settings')).toEqual({ kind: 'list' });
    expect(routeOf('#/open?account=111122223333&permissionSet=ReadOnly')).toEqual({
      kind: 'open',
      link: { account: '111122223333', permissionSet: 'ReadOnly' },
    });
    expect(routeOf('#/cli-login?redirect_uri=https://evil.example/')).toMatchObject({ kind: 'cli-login-refused' });
  });

  it('shows the list, with the reason, for a link it refuses', () => {
    expect(routeOf('#/open?account=111122223333')).toEqual({ kind: 'list', refusedLink: 'the link names no permissionSet' });
  });
});
