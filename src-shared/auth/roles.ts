/**
 * Who may do what: the one table the server checks on every route and the UI uses to show or
 * hide controls. Deny by default: an action missing from a role's list is refused.
 * Object-level checks (which tenant, which album) come on top, in the server.
 */
export const TENANT_KINDS = ['studio', 'school'] as const;
export type TenantKind = (typeof TENANT_KINDS)[number];

export const ROLES = [
  'operator',
  'studio_admin',
  'designer',
  'school_admin',
  'school_staff',
] as const;
export type Role = (typeof ROLES)[number];

export const ACTIONS = [
  /** Create tenants, change contracts, create a tenant's first admin (operator only). */
  'tenant.manage',
  /** Create, disable, delete users of one's own tenant; assign roles; reset passwords. */
  'user.manage',
  /** See the users of one's own tenant. */
  'user.read',
  'album.create',
  'album.read',
  /** Album settings, archive, delete. */
  'album.update',
  'album.members.manage',
  'page.read',
  'page.edit',
  'photo.upload',
  'photo.read',
  'album.export',
  'audit.read',
  /** Every signed-in user: their own password and session. */
  'self.manage',
] as const;
export type Action = (typeof ACTIONS)[number];

export const PERMISSIONS: Readonly<Record<Role, readonly Action[]>> = {
  // Weebum staff: tenants and their first admins; nothing inside albums (P5, P15).
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
  // Schools review and upload their own event photos; layout is the studio's work.
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
};

/** Roles a tenant of each kind may hold. The operator belongs to no customer tenant. */
export const ROLES_BY_TENANT_KIND: Readonly<Record<TenantKind, readonly Role[]>> = {
  studio: ['studio_admin', 'designer'],
  school: ['school_admin', 'school_staff'],
};

const isRole = (value: unknown): value is Role =>
  typeof value === 'string' && (ROLES as readonly string[]).includes(value);

/** Deny by default: unknown roles and unknown actions are refused. */
export function can(role: unknown, action: unknown): boolean {
  if (!isRole(role) || typeof action !== 'string') return false;
  return (PERMISSIONS[role] as readonly string[]).includes(action);
}

export const roleAllowedForTenant = (role: Role, kind: TenantKind): boolean =>
  ROLES_BY_TENANT_KIND[kind].includes(role);

/** The admin role of a tenant kind: what the operator creates first. */
export const ADMIN_ROLE: Readonly<Record<TenantKind, Role>> = {
  studio: 'studio_admin',
  school: 'school_admin',
};
