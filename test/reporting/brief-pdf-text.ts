import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

/** Opens a PDF with pdf.js (as a viewer would) and returns its pages' text, lines joined by newlines. */
export async function pdfText(pdf: Buffer): Promise<{ pages: number; text: string }> {
  const document = await getDocument({
    data: new Uint8Array(pdf),
    disableFontFace: true,
    useSystemFonts: false,
    verbosity: 0,
  }).promise;
  let text = '';
  for (let number = 1; number <= document.numPages; number += 1) {
    const page = await document.getPage(number);
    const content = await page.getTextContent();
    for (const item of content.items) {
      if ('str' in item) text += item.str + (item.hasEOL ? '\n' : '');
    }
    text += '\n';
  }
  const pages = document.numPages;
  await document.destroy();
  return { pages, text };
}
