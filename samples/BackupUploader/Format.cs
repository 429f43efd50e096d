using System.Globalization;

namespace BackupUploader;

/// <summary>Human-readable sizes, rates and durations.</summary>
internal static class Format
{
    public static string Bytes(long bytes) => bytes switch
    {
        < 0 => "unknown size",
        < 1024 => bytes.ToString(CultureInfo.InvariantCulture) + " B",
        < 1024 * 1024 => (bytes / 1024.0).ToString("0.0", CultureInfo.InvariantCulture) + " KiB",
        < 1024L * 1024 * 1024 => (bytes / (1024.0 * 1024)).ToString("0.0", CultureInfo.InvariantCulture) + " MiB",
        _ => (bytes / (1024.0 * 1024 * 1024)).ToString("0.00", CultureInfo.InvariantCulture) + " GiB",
    };

    public static string Rate(long bytes, TimeSpan elapsed) =>
        elapsed <= TimeSpan.Zero ? "-" : (bytes / (1024.0 * 1024) / elapsed.TotalSeconds).ToString("0.0", CultureInfo.InvariantCulture) + " MiB/s";

    public static string Duration(TimeSpan duration) => duration.TotalSeconds < 60
        ? duration.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + " s"
        : $"{(int)duration.TotalMinutes} min {duration.Seconds} s";

    /// <summary>Parses sizes such as 256MiB, 64M, 1G, 1.5GiB or a plain byte count.</summary>
    public static bool TryParseSize(string text, out long bytes)
    {
        bytes = 0;
        string t = text.Trim();
        int split = 0;
        while (split < t.Length && (char.IsDigit(t[split]) || t[split] == '.'))
        {
            split++;
        }

        if (split == 0 || !double.TryParse(t[..split], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double number))
        {
            return false;
        }

        long multiplier = t[split..].Trim().ToUpperInvariant() switch
        {
            "" or "B" => 1,
            "K" or "KB" or "KIB" => 1024,
            "M" or "MB" or "MIB" => 1024 * 1024,
            "G" or "GB" or "GIB" => 1024L * 1024 * 1024,
            _ => 0,
        };
        if (multiplier == 0 || number * multiplier > long.MaxValue / 2)
        {
            return false;
        }

        bytes = (long)(number * multiplier);
        return true;
    }
}
