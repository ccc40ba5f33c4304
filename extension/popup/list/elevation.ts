/**
 * Rows that open only on request (elevation): a click on one without a grant opens the request form
 * instead of a console; a pending request is a badge, and while one waits the popup asks the host every
 * few seconds whether the person's open requests changed (one small answer), refreshing the list only
 * when they did, so an approval shows without a manual refresh. A pending request or a grant opens a
 * panel to cancel, extend or give it back. Approvers get a "To approve" view. The form, the panel and
 * the view are loaded the first time they are opened.
 */
import { useCallback, useEffect, useState } from 'preact/hooks';
import type { ComponentType } from 'preact';
import type { CompactList } from '../../list-cache/compact-list.ts';
import { elevationOf } from '../../list-cache/compact-list.ts';
import { hasPendingRequest, openRequestKeys } from '../elevation/elevation-state.ts';
import type { ManageRequestProps } from '../elevation/ManageRequest.tsx';
import type { RequestFormProps } from '../elevation/RequestForm.tsx';
import type { ToApproveProps } from '../elevation/ToApprove.tsx';
import { send } from '../host.ts';

/**
 * While a request of the person waits, the popup asks every second for the first minute it shows it
 * waiting (an approver who is on it answers within that time, and the person is watching), then every 3
 * seconds. Each ask is one small GET /requests.
 */
const PENDING_POLL_FAST_TICKS = 60;

let RequestForm: ComponentType<RequestFormProps> | undefined;
let ManageRequest: ComponentType<ManageRequestProps> | undefined;
let ToApprove: ComponentType<ToApproveProps> | undefined;

export interface Elevation {
  /** The request form, once loaded, and the row it is open for. */
  Form: ComponentType<RequestFormProps> | undefined;
  formRow: number | undefined;
  openForm(row: number): void;
  closeForm(): void;
  /** The panel of the person's own pending request or grant, once loaded, and the row it is open for. */
  Manage: ComponentType<ManageRequestProps> | undefined;
  manageRow: number | undefined;
  openManage(row: number): void;
  closeManage(): void;
  /** The "To approve" view, once loaded, and whether it is open. */
  ToApprove: ComponentType<ToApproveProps> | undefined;
  approving: boolean;
  setApproving(open: boolean): void;
  /** Requests waiting for this person's approval, as last heard (0 for anyone who approves nothing). */
  toApprove: number;
  setToApprove(count: number): void;
}

/**
 * `onStale` is called when the person's open requests are no longer those the list shows (approved,
 * denied, expired): the owner refreshes the list.
 */
export function useElevation(list: CompactList, now: number, onStale: () => void): Elevation {
  const [formRow, setFormRow] = useState<number>();
  const [manageRow, setManageRow] = useState<number>();
  const [approving, setApprovingState] = useState(false);
  const [toApprove, setToApprove] = useState(0);
  const [, setLoaded] = useState(0);
  const pending = hasPendingRequest(list, now);

  // Whether anything waits for this person's approval, after the list is drawn: the host answers from
  // what it heard recently (the extension's background watches while requests wait) or asks the backend.
  useEffect(() => {
    void send({ type: 'approvals/count' }).then((reply) => reply.ok && setToApprove(reply.count));
  }, []);

  useEffect(() => {
    if (!pending) return;
    let ticks = 0;
    const poll = setInterval(() => {
      // Every tick (a second) for the first minute, then every third.
      if (++ticks > PENDING_POLL_FAST_TICKS && ticks % 3) return;
      void send({ type: 'requests/open' }).then((reply) => {
        if (reply.ok && [...reply.open].sort().join() !== openRequestKeys(list, Date.now()).join()) onStale();
      });
    }, 1_000);
    return () => clearInterval(poll);
  }, [list, pending, onStale]);

  function openForm(row: number) {
    if (!elevationOf(list, row)) return;
    setFormRow(row);
    if (!RequestForm)
      void import('../elevation/RequestForm.tsx').then((module) => {
        RequestForm = module.RequestForm;
        setLoaded((count) => count + 1);
      });
  }

  function openManage(row: number) {
    if (!elevationOf(list, row)) return;
    setManageRow(row);
    if (!ManageRequest)
      void import('../elevation/ManageRequest.tsx').then((module) => {
        ManageRequest = module.ManageRequest;
        setLoaded((count) => count + 1);
      });
  }

  const setApproving = useCallback((open: boolean) => {
    setApprovingState(open);
    if (open && !ToApprove)
      void import('../elevation/ToApprove.tsx').then((module) => {
        ToApprove = module.ToApprove;
        setLoaded((count) => count + 1);
      });
  }, []);

  return {
    Form: RequestForm,
    formRow,
    openForm,
    closeForm: () => setFormRow(undefined),
    Manage: ManageRequest,
    manageRow,
    openManage,
    closeManage: () => setManageRow(undefined),
    ToApprove,
    approving,
    setApproving,
    toApprove,
    setToApprove,
  };
}
