// Tailwind CSS 4 runs as a PostCSS plugin in Next.js's build; nothing is fetched at run time.
export default { plugins: { "@tailwindcss/postcss": {} } };
