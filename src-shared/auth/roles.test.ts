import { describe, expect, it } from 'vitest';
import {
  ACTIONS,
  ADMIN_ROLE,
  PERMISSIONS,
  ROLES,
  ROLES_BY_TENANT_KIND,
  can,
  roleAllowedForTenant,
} from './roles.js';

describe('roles and permissions', () => {
  it('pins the whole table', () => {
    // A change here is a security decision: update the table and this snapshot together.
    const table = Object.fromEntries(
      ROLES.map((role) => [role, ACTIONS.filter((action) => can(role, action))]),
    );
    expect(table).toEqual({
      operator: ['tenant.manage', 'audit.read', 'self.manage'],
      studio_admin: [
        'user.manage',
        'user.read',
        'album.create',
        'album.read',
        'album.update',
        'album.members.manage',
        'page.read',
        'page.edit',
        'photo.upload',
        'photo.read',
        'album.export',
        'audit.read',
        'self.manage',
      ],
      designer: [
        'user.read',
        'album.read',
        'page.read',
        'page.edit',
        'photo.upload',
        'photo.read',
        'album.export',
        'self.manage',
      ],
      school_admin: [
        'user.manage',
        'user.read',
        'album.read',
        'album.members.manage',
        'page.read',
        'photo.upload',
        'photo.read',
        'album.export',
        'audit.read',
        'self.manage',
      ],
      school_staff: ['album.read', 'page.read', 'photo.upload', 'photo.read', 'self.manage'],
    });
  });

  it('keeps the operator out of albums', () => {
    for (const action of ACTIONS.filter((a) => a.startsWith('album.') || a.startsWith('page.'))) {
      expect(can('operator', action)).toBe(false);
    }
  });

  it('denies by default: unknown roles, unknown actions, odd inputs', () => {
    expect(can('root', 'tenant.manage')).toBe(false);
    expect(can('studio_admin', 'tenant.delete')).toBe(false);
    expect(can('studio_admin', 'toString')).toBe(false);
    expect(can('__proto__', 'album.read')).toBe(false);
    expect(can(undefined, undefined)).toBe(false);
    expect(can('designer', 'constructor')).toBe(false);
  });

  it('lists only known actions for each role', () => {
    for (const role of ROLES) {
      for (const action of PERMISSIONS[role]) expect(ACTIONS).toContain(action);
    }
  });

  it('ties roles to tenant kinds', () => {
    expect(roleAllowedForTenant('designer', 'studio')).toBe(true);
    expect(roleAllowedForTenant('designer', 'school')).toBe(false);
    expect(roleAllowedForTenant('school_staff', 'school')).toBe(true);
    expect(roleAllowedForTenant('operator', 'studio')).toBe(false);
    expect(ROLES_BY_TENANT_KIND.studio).toContain(ADMIN_ROLE.studio);
    expect(ROLES_BY_TENANT_KIND.school).toContain(ADMIN_ROLE.school);
  });
});
