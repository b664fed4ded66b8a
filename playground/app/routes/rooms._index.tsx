export default function RoomsIndex() {
  return <p>Pick a room.</p>;
}
