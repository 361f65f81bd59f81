Feature: Isolation between scenarios and features
  Without a tag every scenario gets a server of its own; with @smtp.per_feature
  the scenarios of a feature share one, emptied before each of them and stopped
  when the feature ends.

  Background:
    Given a steps module "ports.py" with
      """
      import socket

      from behave import then

      ports = {}


      @then('the port is remembered as "{name}"')
      def step_remember(context, name):
          ports[name] = context.smtp_port


      @then('the port should be the one remembered as "{name}"')
      def step_same(context, name):
          assert context.smtp_port == ports[name], (context.smtp_port, ports)


      @then('the port should not be the one remembered as "{name}"')
      def step_other(context, name):
          assert context.smtp_port != ports[name], (context.smtp_port, ports)


      @then('the port remembered as "{name}" should refuse connections')
      def step_refused(context, name):
          try:
              socket.create_connection(("127.0.0.1", ports[name]), timeout=5).close()
          except ConnectionRefusedError:
              return
          raise AssertionError(f"port {ports[name]} still accepts connections")
      """

  Scenario: The feature's server stops when the feature ends
    Given a feature file "a_shared.feature" with
      """
      @smtp.per_feature
      Feature: Shared
        Background:
          Given an SMTP server is running

        Scenario: One
          When a message is sent from "app@example.com" to "bob@example.com" with subject "One"
          Then the port is remembered as "shared"

        Scenario: Two
          Then the port should be the one remembered as "shared"
          And 0 messages should be received
      """
    And a feature file "b_own.feature" with
      """
      Feature: Own servers
        Scenario: After the shared feature
          Given an SMTP server is running
          Then the port remembered as "shared" should refuse connections
          And the port is remembered as "own"

        Scenario: Each scenario its own server
          Given an SMTP server is running
          Then the port should not be the one remembered as "own"
          And 0 messages should be received
      """
    When behave runs the features
    Then it should pass
    And the output should contain
      """
      server threads left: []
      """

  Scenario: A feature's server cannot move to another port
    Given a feature file "moving.feature" with
      """
      @smtp.per_feature
      Feature: Moving
        Scenario: First
          Given an SMTP server is running on port {free_port}

        Scenario: Second
          Given an SMTP server is running
          And an SMTP server is running on port 1
      """
    When behave runs the features
    Then it should fail
    And the output should contain
      """
      The SMTP server of this feature (@smtp.per_feature) runs on 127.0.0.1:{free_port}: it cannot move to port 1 in another scenario.
      """
    And the output should contain
      """
      server threads left: []
      """
