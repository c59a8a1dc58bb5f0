namespace OpsDesk.Worker.Hosting;

/// <summary>Dev mode could not start a part of the system; the message tells the user what to do.</summary>
public sealed class DevModeException : Exception
{
    public DevModeException()
    {
    }

    public DevModeException(string message)
        : base(message)
    {
    }

    public DevModeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
