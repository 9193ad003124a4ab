namespace Hfpl.Losses; internal static class Placeholder {}
