using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace OpsDesk.Api.Tickets;

/// <summary>Opaque keyset cursors. Clients must not parse them; the format may change.</summary>
public static class Cursor
{
    private const string Prefix = "t1:";

    public static string Encode(long beforeId) =>
        Base64Url.EncodeToString(Encoding.ASCII.GetBytes(Prefix + beforeId.ToString(CultureInfo.InvariantCulture)));

    public static bool TryDecode(string cursor, out long beforeId)
    {
        beforeId = 0;
        if (cursor.Length > 64)
            return false;
        try
        {
            var text = Encoding.ASCII.GetString(Base64Url.DecodeFromChars(cursor));
            return text.StartsWith(Prefix, StringComparison.Ordinal)
                && long.TryParse(text.AsSpan(Prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out beforeId)
                && beforeId > 0;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
