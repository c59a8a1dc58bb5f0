using System.Diagnostics;
using System.Runtime.InteropServices;

namespace OpsDesk.Bench.Measuring;

/// <summary>
/// Sleeps until a <see cref="Stopwatch"/> timestamp with sub-millisecond precision and without
/// spinning. .NET timers and <see cref="Thread.Sleep(int)"/> work in whole milliseconds and fire up to
/// a millisecond or two late, which an open-loop generator would add to every latency it reports. On
/// Linux and macOS this calls POSIX <c>nanosleep</c> (the kernel wakes the thread within tens of
/// microseconds); elsewhere it falls back to whole-millisecond sleeps and yields for the remainder.
/// </summary>
internal static class PreciseSleep
{
    private static readonly bool HasNanosleep = OperatingSystem.IsLinux() || OperatingSystem.IsMacOS();

    public static void Until(long timestamp)
    {
        while (true)
        {
            var remaining = timestamp - Stopwatch.GetTimestamp();
            if (remaining <= 0)
                return;
            var nanoseconds = (long)(remaining * (1_000_000_000.0 / Stopwatch.Frequency));
            if (HasNanosleep)
            {
                var request = new Timespec { Seconds = nanoseconds / 1_000_000_000, Nanoseconds = nanoseconds % 1_000_000_000 };
                _ = Nanosleep(ref request, IntPtr.Zero); // EINTR: the loop sleeps the rest
            }
            else if (nanoseconds >= 2_000_000)
            {
                Thread.Sleep((int)(nanoseconds / 1_000_000) - 1);
            }
            else
            {
                Thread.Yield();
            }
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct Timespec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    // DllImport rather than LibraryImport: the signature is blittable, so no marshalling code (or
    // unsafe code in this project) is needed.
#pragma warning disable SYSLIB1054
    [DllImport("libc", EntryPoint = "nanosleep")]
    private static extern int Nanosleep(ref Timespec request, IntPtr remaining);
#pragma warning restore SYSLIB1054
}
