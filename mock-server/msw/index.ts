/** `import { authMockHandlers } from 'authconform/msw'` */
export {
  authMockHandlers,
  handlersFor,
  type AuthMockHandlersOptions,
} from './auth-mock-handlers.ts';
export { createAuthMock, type AuthMock, type AuthMockOptions } from '../create-auth-mock.ts';
