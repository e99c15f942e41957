/**
 * @jest-environment node
 */
import { extend, lineWidthFor, type Shape } from '../../../../tab/src/features/call/drawing';

describe('drawing shapes', () => {
  it('keeps every point of a freehand line, and only start and end of an arrow or circle', () => {
    const free: Shape = { tool: 'freehand', colour: 'red', points: [{ x: 0, y: 0 }] };
    const arrow: Shape = { ...free, tool: 'arrow' };
    const moves = [
      { x: 1, y: 1 },
      { x: 2, y: 2 },
    ];
    expect(moves.reduce(extend, free).points).toHaveLength(3);
    expect(moves.reduce(extend, arrow).points).toEqual([
      { x: 0, y: 0 },
      { x: 2, y: 2 },
    ]);
  });

  it('draws lines thick enough to see on a phone, whatever the snapshot size', () => {
    expect(lineWidthFor(320, 240)).toBe(3);
    expect(lineWidthFor(1920, 1080)).toBe(11);
  });
});
