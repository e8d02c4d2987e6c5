const LINKS = [
  '/api/users/42',
  '/api/out-of-stock',
  '/api/metrics',
  '/api/health',
  '/api/health/live',
  '/api/health/ready',
];

export default function Home() {
  return (
    <main>
      <h1>Vigil + Next.js</h1>
      <ul>
        {LINKS.map((href) => (
          <li key={href}>
            <a href={href}>{href}</a>
          </li>
        ))}
      </ul>
    </main>
  );
}
