export { Alert } from "./Alert.tsx";
export { Button } from "./Button.tsx";
export { Card } from "./Card.tsx";
export { Field } from "./Field.tsx";
