/**
 * The demo people of the local stack and their (public, demo-only) passwords.
 * `directory.json` beside this file holds their salted hashes; a unit test keeps the two in step.
 */
export interface DemoUser {
  username: string;
  password: string;
  groups: string[];
}

export const DEMO_USERS: DemoUser[] = [
  { username: 'alice', password: 'alice-demo-password', groups: ['Platform-Admins', 'Developers'] },
  { username: 'bob', password: 'bob-demo-password', groups: ['Auditors'] },
  { username: 'carol', password: 'carol-demo-password', groups: [] },
];
