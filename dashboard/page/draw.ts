import { PIXELS, IMAGE_SIZE } from '../protocol';

/** MNIST digits fill a 20x20 box centred in the 28x28 image; a drawing is scaled the same way. */
const DIGIT_BOX = 20;

/**
 * The drawing pad: white strokes on black with the mouse, a pen or a finger (pointer events),
 * read back as 28x28 grey levels framed like an MNIST digit.
 */
export class DigitPad {
  private readonly ctx: CanvasRenderingContext2D;
  private drawing = false;
  private inked = false;

  constructor(private readonly canvas: HTMLCanvasElement, onStroke: () => void) {
    const ctx = canvas.getContext('2d', { willReadFrequently: true });
    if (ctx === null) throw new Error('this browser has no 2D canvas');
    this.ctx = ctx;
    this.clear();
    canvas.addEventListener('pointerdown', (e) => {
      this.drawing = true;
      canvas.setPointerCapture(e.pointerId);
      this.ctx.beginPath();
      this.ctx.moveTo(...this.at(e));
    });
    canvas.addEventListener('pointermove', (e) => {
      if (!this.drawing) return;
      this.ctx.lineTo(...this.at(e));
      this.ctx.stroke();
      this.inked = true;
    });
    const end = (): void => {
      if (!this.drawing) return;
      this.drawing = false;
      if (this.inked) onStroke();
    };
    canvas.addEventListener('pointerup', end);
    canvas.addEventListener('pointercancel', end);
  }

  clear(): void {
    this.ctx.fillStyle = '#000';
    this.ctx.fillRect(0, 0, this.canvas.width, this.canvas.height);
    this.ctx.strokeStyle = '#fff';
    this.ctx.lineWidth = this.canvas.width / 12;
    this.ctx.lineCap = 'round';
    this.ctx.lineJoin = 'round';
    this.inked = false;
  }

  /** 784 values 0-255, row-major; null when nothing is drawn. */
  pixels(): number[] | null {
    const box = this.inkBox();
    if (box === null) return null;
    const small = document.createElement('canvas');
    small.width = IMAGE_SIZE;
    small.height = IMAGE_SIZE;
    const out = small.getContext('2d', { willReadFrequently: true });
    if (out === null) return null;
    out.fillStyle = '#000';
    out.fillRect(0, 0, IMAGE_SIZE, IMAGE_SIZE);
    const scale = DIGIT_BOX / Math.max(box.w, box.h);
    const w = box.w * scale;
    const h = box.h * scale;
    out.imageSmoothingQuality = 'high';
    out.drawImage(this.canvas, box.x, box.y, box.w, box.h, (IMAGE_SIZE - w) / 2, (IMAGE_SIZE - h) / 2, w, h);
    const rgba = out.getImageData(0, 0, IMAGE_SIZE, IMAGE_SIZE).data;
    return centreOfMassCentred(Array.from({ length: PIXELS }, (_, i) => rgba[i * 4] ?? 0));
  }

  private at(e: PointerEvent): [number, number] {
    const rect = this.canvas.getBoundingClientRect();
    return [((e.clientX - rect.left) * this.canvas.width) / rect.width, ((e.clientY - rect.top) * this.canvas.height) / rect.height];
  }

  /** The bounding box of the strokes, or null on an empty pad. */
  private inkBox(): { x: number; y: number; w: number; h: number } | null {
    const { width, height } = this.canvas;
    const data = this.ctx.getImageData(0, 0, width, height).data;
    let [minX, minY, maxX, maxY] = [width, height, -1, -1];
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        if ((data[(y * width + x) * 4] ?? 0) > 32) {
          minX = Math.min(minX, x);
          maxX = Math.max(maxX, x);
          minY = Math.min(minY, y);
          maxY = Math.max(maxY, y);
        }
      }
    }
    return maxX < 0 ? null : { x: minX, y: minY, w: maxX - minX + 1, h: maxY - minY + 1 };
  }
}

/** MNIST centres each digit by its centre of mass, not its box: a 7's mass sits high, so it moves down. */
function centreOfMassCentred(pixels: number[]): number[] {
  let [mass, sumX, sumY] = [0, 0, 0];
  pixels.forEach((v, i) => {
    mass += v;
    sumX += v * (i % IMAGE_SIZE);
    sumY += v * Math.floor(i / IMAGE_SIZE);
  });
  if (mass === 0) return pixels;
  const centre = (IMAGE_SIZE - 1) / 2;
  const dx = Math.round(centre - sumX / mass);
  const dy = Math.round(centre - sumY / mass);
  return pixels.map((_, i) => {
    const x = (i % IMAGE_SIZE) - dx;
    const y = Math.floor(i / IMAGE_SIZE) - dy;
    return x < 0 || y < 0 || x >= IMAGE_SIZE || y >= IMAGE_SIZE ? 0 : (pixels[y * IMAGE_SIZE + x] ?? 0);
  });
}
