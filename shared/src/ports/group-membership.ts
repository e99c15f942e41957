import type { AadObjectId } from '../domain/call';

/** Whether a user belongs to a directory group (Graph `checkMemberGroups` with the app's identity). */
export interface GroupMembership {
  isMemberOf(userId: AadObjectId, groupId: string): Promise<boolean>;
}
