export { CreateCallForm, type CreateCallFormProps, type CreateState } from './CreateCallForm';
export { useCreateCall } from './useCreateCall';
