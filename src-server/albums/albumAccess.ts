import type { Role } from '../../src-shared/auth/roles.js';

/**
 * Who sees an album (P3, P15): the owning studio's admins and the designers who are members;
 * the school's admins and the staff who are members. Nobody else, the operator included: to
 * everyone else the album does not exist (404). What a visible album allows is then the
 * roles table's business (`can()`), checked by the route guard before this.
 */
export interface AlbumTenants {
  readonly studioTenantId: string;
  readonly schoolTenantId: string;
}

export interface AlbumCaller {
  readonly tenantId: string | null;
  readonly role: Role;
}

export function canSeeAlbum(album: AlbumTenants, caller: AlbumCaller, isMember: boolean): boolean {
  if (caller.tenantId === null) return false;
  if (caller.tenantId === album.studioTenantId) {
    return caller.role === 'studio_admin' || (caller.role === 'designer' && isMember);
  }
  if (caller.tenantId === album.schoolTenantId) {
    return caller.role === 'school_admin' || (caller.role === 'school_staff' && isMember);
  }
  return false;
}

/** Which side of the album a tenant is on; members are added by their own side's admin. */
export function sideOf(album: AlbumTenants, tenantId: string | null): 'studio' | 'school' | null {
  if (tenantId === null) return null;
  if (tenantId === album.studioTenantId) return 'studio';
  if (tenantId === album.schoolTenantId) return 'school';
  return null;
}
