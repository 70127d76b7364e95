/**
 * Thumbnails as loaded <img> elements, shared by every frame of the open album; `onLoad`
 * redraws the canvas when one arrives. One cache per editor (not a module-level singleton).
 */
export interface ImageCache {
  readonly get: (url: string) => HTMLImageElement | undefined;
}

export function createImageCache(onLoad: () => void): ImageCache {
  const images = new Map<string, HTMLImageElement>();
  const ready = new Set<string>();
  return {
    get(url) {
      if (ready.has(url)) return images.get(url);
      if (!images.has(url)) {
        const image = new Image();
        image.decoding = 'async';
        image.onload = () => {
          ready.add(url);
          onLoad();
        };
        image.src = url;
        images.set(url, image);
      }
      return undefined;
    },
  };
}
