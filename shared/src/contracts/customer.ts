import { z } from 'zod';
import { CallStateSchema, CustomerNameSchema } from './calls';

/** `POST /j/:code` form body. */
export const ClaimFormSchema = z.object({ name: CustomerNameSchema });
export type ClaimForm = z.infer<typeof ClaimFormSchema>;

/**
 * `GET /j/:code/status`: what the claiming browser may know. Only this browser (claim cookie) gets
 * `joinUrl`, and only once admitted.
 */
export const CustomerStatusSchema = z.object({
  state: CallStateSchema,
  /**
   * The state's phase (`callPhase`): `lobby` while waiting, `live` once let in, `over` when dead.
   * The pages' scripts follow it instead of listing states.
   */
  phase: z.enum(['open', 'lobby', 'live', 'over']),
  version: z.number().int(),
  title: z.string(),
  agentName: z.string(),
  claimedAt: z.string().optional(),
  /** Seconds the customer has waited so far. */
  waitedSeconds: z.number().int().optional(),
  lobbyMessage: z.object({ text: z.string(), at: z.string() }).optional(),
  /** While waiting: seconds until the wait times out unless extended ("I'm still here"). */
  timeoutInSeconds: z.number().int().optional(),
  /** While waiting: the agent has heard of the customer (card delivered, or the tab open). */
  agentTold: z.boolean().optional(),
  declineReason: z.string().optional(),
  /** Where to go once admitted: the Teams meeting, or our own call page. */
  next: z.string().optional(),
});
export type CustomerStatus = z.infer<typeof CustomerStatusSchema>;
