// Sends one message with Jakarta Mail over STARTTLS, checking the server's identity as
// applications are told to (mail.smtp.ssl.checkserveridentity). Run by itest/test_tls_clients.py.
// Usage: java -cp ... JakartaSend HOST PORT SUBJECT
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.util.Properties;

public class JakartaSend {
    public static void main(String[] args) throws Exception {
        Properties properties = new Properties();
        properties.put("mail.smtp.host", args[0]);
        properties.put("mail.smtp.port", args[1]);
        properties.put("mail.smtp.starttls.enable", "true");
        properties.put("mail.smtp.starttls.required", "true");
        properties.put("mail.smtp.ssl.checkserveridentity", "true");
        properties.put("mail.smtp.timeout", "20000");
        MimeMessage message = new MimeMessage(Session.getInstance(properties));
        message.setFrom(new InternetAddress("java@example.com"));
        message.setRecipients(Message.RecipientType.TO, "alice@example.com");
        message.setSubject(args[2]);
        message.setText("Sent by Jakarta Mail");
        try {
            Transport.send(message);
        } catch (MessagingException error) {
            System.err.println(error);
            for (Throwable cause = error.getCause(); cause != null; cause = cause.getCause()) {
                System.err.println("caused by " + cause);
            }
            System.exit(1);
        }
    }
}
