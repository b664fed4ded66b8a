export default function Index() {
  return <p>index</p>;
}
