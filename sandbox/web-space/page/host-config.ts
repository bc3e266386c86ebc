/**
 * An Adaptive Cards host config close to Webex's light theme: Webex's type scale and spacing,
 * near-black text with a grey "subtle" tone, and its green / orange / red for good, warning and
 * attention. Approximated from the Webex clients, not copied from Cisco.
 */

const FONT_STACK = '"CiscoSansTT Regular", "Helvetica Neue", Helvetica, Arial, sans-serif';

function tone(main: string, subtle: string): { default: string; subtle: string } {
  return { default: main, subtle };
}

const FOREGROUND = {
  default: tone('#121212', '#6A6B6C'),
  dark: tone('#000000', '#4A4A4A'),
  light: tone('#FFFFFF', '#F2F2F2'),
  accent: tone('#0A78CC', '#3B93D6'),
  good: tone('#1B8748', '#3E9B64'),
  warning: tone('#B35D00', '#C67A26'),
  attention: tone('#D4371C', '#DD5F49'),
};

/** The host config object handed to `new AdaptiveCards.HostConfig(…)`. */
export const WEBEX_HOST_CONFIG = {
  fontFamily: FONT_STACK,
  supportsInteractivity: true,
  spacing: { small: 4, default: 8, medium: 16, large: 20, extraLarge: 24, padding: 16 },
  separator: { lineThickness: 1, lineColor: '#DEDEDE' },
  fontSizes: { small: 12, default: 14, medium: 16, large: 20, extraLarge: 24 },
  fontWeights: { lighter: 300, default: 400, bolder: 600 },
  lineHeights: { small: 16, default: 20, medium: 22, large: 26, extraLarge: 30 },
  imageSizes: { small: 32, medium: 64, large: 128 },
  containerStyles: {
    default: { backgroundColor: '#FFFFFF', foregroundColors: FOREGROUND },
    emphasis: { backgroundColor: '#F7F7F7', foregroundColors: FOREGROUND },
    good: { backgroundColor: '#E8F5EC', foregroundColors: FOREGROUND },
    warning: { backgroundColor: '#FFF4E5', foregroundColors: FOREGROUND },
    attention: { backgroundColor: '#FDECE9', foregroundColors: FOREGROUND },
    accent: { backgroundColor: '#E6F2FB', foregroundColors: FOREGROUND },
  },
  actions: {
    maxActions: 5,
    spacing: 'default',
    buttonSpacing: 8,
    showCard: { actionMode: 'inline', inlineTopMargin: 12 },
    actionsOrientation: 'horizontal',
    actionAlignment: 'left',
  },
  adaptiveCard: { allowCustomStyle: false },
  textBlock: { headingLevel: 2 },
  factSet: {
    title: { color: 'default', size: 'default', isSubtle: true, weight: 'default', wrap: false, maxWidth: 120 },
    value: { color: 'default', size: 'default', isSubtle: false, weight: 'default', wrap: true },
    spacing: 12,
  },
};
