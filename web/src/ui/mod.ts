export { Alert } from "./Alert.tsx";
export { Button } from "./Button.tsx";
export { Card } from "./Card.tsx";
export { CheckboxGroup } from "./CheckboxGroup.tsx";
export { ConfirmButton } from "./ConfirmButton.tsx";
export { CopyValue } from "./CopyValue.tsx";
export { Field } from "./Field.tsx";
export { type Choice, Select } from "./Select.tsx";
