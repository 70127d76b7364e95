/** The application shell; screens arrive with the UI issue. */
export function App() {
  return (
    <main className="shell">
      <h1>Weebum Studio</h1>
      <p lang="ja">卒業アルバム制作ツール</p>
    </main>
  );
}
