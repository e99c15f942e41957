export { TabHome, type TabHomeProps } from './TabHome';
