import { downloadBlob } from './download.ts';

const BACKGROUND = '#151a21';
const FONT = 'Inter, ui-sans-serif, system-ui, sans-serif';

/**
 * A standalone SVG document of a recharts chart: the namespace, explicit size, the panel background (the chart
 * itself is transparent) and a font, since the page's CSS does not travel with the file.
 */
export function standaloneSvg(svg: SVGSVGElement): { text: string; width: number; height: number } {
  const { width, height } = svg.getBoundingClientRect();
  const copy = svg.cloneNode(true) as SVGSVGElement;
  copy.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  copy.setAttribute('width', String(Math.round(width)));
  copy.setAttribute('height', String(Math.round(height)));
  copy.setAttribute('viewBox', `0 0 ${Math.round(width)} ${Math.round(height)}`);
  copy.setAttribute('font-family', FONT);
  copy.removeAttribute('style');
  const background = document.createElementNS('http://www.w3.org/2000/svg', 'rect');
  background.setAttribute('width', '100%');
  background.setAttribute('height', '100%');
  background.setAttribute('fill', BACKGROUND);
  copy.insertBefore(background, copy.firstChild);
  return { text: new XMLSerializer().serializeToString(copy), width, height };
}

/** Downloads the chart as SVG, or as a PNG at twice its on-screen size (the SVG drawn onto a canvas). */
export async function chartSvg(
  svg: SVGSVGElement,
  title: string,
  kind: 'svg' | 'png',
  name: string,
): Promise<void> {
  const { text, width, height } = standaloneSvg(svg);
  const svgBlob = new Blob([text], { type: 'image/svg+xml' });
  if (kind === 'svg') {
    downloadBlob(svgBlob, `${name}.svg`);
    return;
  }
  const url = URL.createObjectURL(svgBlob);
  try {
    const image = new Image();
    image.src = url;
    await image.decode();
    const scale = 2;
    const canvas = document.createElement('canvas');
    canvas.width = Math.round(width * scale);
    canvas.height = Math.round(height * scale);
    const context = canvas.getContext('2d');
    if (!context) throw new Error(`No 2D canvas to draw "${title}" on.`);
    context.scale(scale, scale);
    context.drawImage(image, 0, 0, width, height);
    const png = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/png'));
    if (!png) throw new Error(`Could not encode "${title}" as PNG.`);
    downloadBlob(png, `${name}.png`);
  } finally {
    URL.revokeObjectURL(url);
  }
}
