/**
 * @jest-environment node
 */
import { ImageAssembler } from '../../../../tab/src/call/images';
import { TERMINAL_STATES } from '@shared';
import {
  CHUNK_BYTES,
  TERMINAL_STATES as CALL_PAGE_TERMINAL_STATES,
  parseEnvelope,
  parsePeerMessage,
} from '../../../../tab/src/call/protocol';
import { sdpSessionOf } from '../../../../tab/src/call/call-engine';
import { createEventStreamParser } from '../../../../tab/src/call/sse';

describe('data channel messages', () => {
  it('accepts a chat line and refuses one that is too long', () => {
    expect(parsePeerMessage('{"t":"chat","id":"a1","text":"SN 12-34","at":5}')).toEqual({
      t: 'chat',
      id: 'a1',
      text: 'SN 12-34',
      at: 5,
    });
    const long = JSON.stringify({ t: 'chat', id: 'a', text: 'x'.repeat(1001), at: 1 });
    expect(parsePeerMessage(long)).toBeUndefined();
  });

  it('refuses unknown types, bad JSON and images of an unknown format or too large', () => {
    expect(parsePeerMessage('{"t":"exec"}')).toBeUndefined();
    expect(parsePeerMessage('not json')).toBeUndefined();
    const begin = { t: 'image-begin', id: 'i', kind: 'drawing', size: 10, width: 1, height: 1 };
    expect(parsePeerMessage(JSON.stringify({ ...begin, mime: 'image/svg+xml' }))).toBeUndefined();
    expect(
      parsePeerMessage(JSON.stringify({ ...begin, mime: 'image/png', size: 9e9 })),
    ).toBeUndefined();
    expect(parsePeerMessage(JSON.stringify({ ...begin, mime: 'image/png' }))).toMatchObject({
      t: 'image-begin',
      kind: 'drawing',
    });
  });

  it('reads a media state', () => {
    expect(parsePeerMessage('{"t":"media-state","mic":false,"cam":true}')).toEqual({
      t: 'media-state',
      mic: false,
      cam: true,
    });
    expect(parsePeerMessage('{"t":"media-state","mic":"no","cam":true}')).toBeUndefined();
  });
});

describe('image reassembly', () => {
  const begin = (size: number) =>
    ({
      t: 'image-begin',
      id: 'img',
      kind: 'snapshot',
      mime: 'image/jpeg',
      size,
      width: 4,
      height: 3,
    }) as const;

  it('joins the chunks of an image into one blob of the announced size', () => {
    const a = new ImageAssembler();
    a.begin(begin(CHUNK_BYTES + 10));
    expect(a.chunk(new Uint8Array(CHUNK_BYTES).fill(1).buffer)).toBe(true);
    expect(a.chunk(new Uint8Array(10).fill(2).buffer)).toBe(true);
    const image = a.end('img');
    expect(image).toMatchObject({ kind: 'snapshot', width: 4, height: 3 });
    expect(image?.blob.size).toBe(CHUNK_BYTES + 10);
    expect(image?.blob.type).toBe('image/jpeg');
  });

  it('drops an image that overflows, falls short, or ends with another id', () => {
    const a = new ImageAssembler();
    a.begin(begin(5));
    expect(a.chunk(new ArrayBuffer(6))).toBe(false);
    expect(a.end('img')).toBeUndefined();
    a.begin(begin(5));
    a.chunk(new ArrayBuffer(4));
    expect(a.end('img')).toBeUndefined();
    a.begin(begin(5));
    a.chunk(new ArrayBuffer(5));
    expect(a.end('other')).toBeUndefined();
    expect(a.chunk(new ArrayBuffer(1))).toBe(false);
  });
});

describe('signalling envelopes', () => {
  it('reads a description and refuses a message of an unknown type', () => {
    const ok = {
      id: 3,
      from: 'agent',
      seq: 1,
      message: { type: 'description', description: { type: 'offer', sdp: 'v=0' } },
    };
    expect(parseEnvelope(ok)).toMatchObject({ id: 3, from: 'agent' });
    expect(parseEnvelope({ ...ok, from: 'mallory' })).toBeUndefined();
    expect(parseEnvelope({ ...ok, message: { type: 'bye' } })).toBeUndefined();
  });

  it('finds the o= session of an SDP, which changes with every new peer connection', () => {
    const sdp = 'v=0\r\no=- 4611731400430051336 2 IN IP4 127.0.0.1\r\ns=-\r\n';
    expect(sdpSessionOf(sdp)).toBe('4611731400430051336');
    expect(sdpSessionOf('v=0\r\n')).toBeUndefined();
  });
});

describe('event stream parser', () => {
  it('returns events with their ids across chunk borders and drops comments', () => {
    const parse = createEventStreamParser();
    expect(parse(': ping\n\nevent: signal\nid: 7\ndata: {"a"')).toEqual([]);
    expect(parse(':1}\n\nevent: peer\ndata: {}\n\n')).toEqual([
      { event: 'signal', id: '7', data: '{"a":1}' },
      { event: 'peer', id: undefined, data: '{}' },
    ]);
  });
});

// The call page keeps its own copy (it imports nothing from @shared, to stay small on old phones):
// a state added to the domain must reach it, or the page waits for a call that is over.
describe("the call page's terminal states", () => {
  it("are the domain's", () => {
    expect([...CALL_PAGE_TERMINAL_STATES].sort()).toEqual([...TERMINAL_STATES].sort());
  });
});
