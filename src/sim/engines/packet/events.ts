/** Event types of the packet engine (low 4 bits of an event code; the rest is the id it concerns). */
export const EV_PIPE = 0; // link: the pipe's head packet arrives at the far end
export const EV_QDONE = 1; // link: the queue finished serializing a packet
export const EV_NIC = 2; // node: the NIC finished sending a packet
export const EV_START = 3; // flow: starts
export const EV_RTO = 4; // flow: retransmission timer
export const EV_WAKE = 5; // flow: rate pacing allows the next packet (DCQCN)
export const EV_DCQCN = 6; // flow: DCQCN alpha / rate-increase timer
export const EV_CNP = 7; // flow: the receiver may send a deferred CNP
export const EV_PACER = 8; // node: the receiver's credit pacer grants the next credit (RCCC)
export const EV_PFC = 9; // link * 2 + (1 pause | 0 resume): a PFC frame takes effect at the upstream queue
export const EV_FAIL = 10; // failure index: links go down or degrade
export const EV_DETECT = 11; // failure index: routes start avoiding the failed links
export const EV_TRACE = 12; // sample queue occupancy

/** An event's code packs its type (low 4 bits) and the id it concerns (link, flow, endpoint). */
export const EVENT_TYPE_BITS = 4;
export const EVENT_TYPE_MASK = (1 << EVENT_TYPE_BITS) - 1;

export function eventCode(type: number, id: number): number {
  return type | (id << EVENT_TYPE_BITS);
}
