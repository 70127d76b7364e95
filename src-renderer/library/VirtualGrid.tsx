import { useLayoutEffect, useRef, useState, type ReactNode } from 'react';
import { columnsFor, visibleRows } from './windowing.js';

/**
 * A scrolling grid that renders only the rows in view (and a few around), with fixed tiles:
 * the library stays smooth with thousands of photos. The list keeps its full height so the
 * scroll bar tells where one is.
 */
export function VirtualGrid<T>({
  items,
  tileWidth,
  rowHeight,
  gap,
  label,
  render,
  itemKey,
}: {
  readonly items: readonly T[];
  readonly tileWidth: number;
  readonly rowHeight: number;
  readonly gap: number;
  readonly label: string;
  readonly render: (item: T) => ReactNode;
  readonly itemKey: (item: T) => string;
}) {
  const box = useRef<HTMLDivElement>(null);
  const [size, setSize] = useState({ width: tileWidth, height: rowHeight * 4 });
  const [scrollTop, setScrollTop] = useState(0);

  useLayoutEffect(() => {
    const el = box.current;
    if (!el) return;
    const measure = () => setSize({ width: el.clientWidth, height: el.clientHeight });
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  const columns = columnsFor(size.width, tileWidth, gap);
  const rowCount = Math.ceil(items.length / columns);
  const { first, last } = visibleRows({
    scrollTop,
    viewportHeight: size.height,
    rowHeight,
    rowCount,
    overscan: 2,
  });
  const shown = items.slice(first * columns, (last + 1) * columns);

  return (
    <div
      ref={box}
      className="virtual-grid"
      onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
      role="region"
      aria-label={label}
      tabIndex={0}
    >
      <ul
        className="virtual-grid-rows"
        style={{ height: rowCount * rowHeight, position: 'relative' }}
        data-total={items.length}
      >
        {shown.map((item, i) => {
          const index = first * columns + i;
          const row = Math.floor(index / columns);
          const col = index % columns;
          return (
            <li
              key={itemKey(item)}
              style={{
                position: 'absolute',
                top: row * rowHeight,
                left: col * (tileWidth + gap),
                width: tileWidth,
                height: rowHeight - gap,
              }}
            >
              {render(item)}
            </li>
          );
        })}
      </ul>
    </div>
  );
}
